"""Staff reset a forgotten password by email, from the admin's login page.

Django's own auth views and the admin's own templates for them (admin/templates/registration/), given the admin's
page context so they carry the site's header. The admin shows its "Forgotten your login credentials?" link once a
URL named admin_password_reset exists; the other names are the ones the auth views and the email template reverse.
"""

import math
from collections.abc import Iterator

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from newsroom.client_ip import client_ip
from newsroom.login_throttle import refuse_when_locked_out
from newsroom.ratelimit import Limit, hit


class StaffPasswordResetForm(PasswordResetForm):
    """Mails only staff: the form lives on the admin's login page, and a reader has no admin password to reset.
    An address that matches nobody gets the same answer as one that matches, so the form reveals no accounts."""

    def get_users(self, email: str) -> Iterator[AbstractBaseUser]:
        return (user for user in super().get_users(email) if user.is_staff)


class AdminPageMixin:
    """The admin's header, title and theme on a page the admin site does not serve itself."""

    def get_context_data(self, **kwargs: object) -> dict:
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class ResetView(AdminPageMixin, auth_views.PasswordResetView):
    """Each valid post sends a mail, so posts are counted: per client address (counted before the form is read,
    so junk costs as much as a real request) and per email asked for, whether or not it has an account, so the
    limit tells nobody which addresses exist. Without it the form would mail an inbox as often as anyone likes."""

    form_class = StaffPasswordResetForm

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        wait = hit("password-reset-ip", client_ip(request) or "unknown", _limit(settings.PASSWORD_RESET_RATE_PER_IP))
        return too_many_requests(request, wait) if wait else super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        wait = hit("password-reset-email", email, _limit(settings.PASSWORD_RESET_RATE_PER_EMAIL))
        return too_many_requests(self.request, wait) if wait else super().form_valid(form)


def _limit(count: int) -> Limit:
    return Limit(count, settings.PASSWORD_RESET_RATE_WINDOW)


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    """A 429 page in words, with Retry-After, and no email sent."""
    response = TemplateResponse(
        request, "password_reset_limited.html", {"minutes": max(1, math.ceil(wait / 60))}, status=429
    )
    response["Retry-After"] = str(wait)
    return response.render()


class ResetDoneView(AdminPageMixin, auth_views.PasswordResetDoneView):
    pass


class ResetConfirmView(AdminPageMixin, auth_views.PasswordResetConfirmView):
    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        """A password set from the emailed link lifts the account's login lockout: whoever holds the mailbox is
        the account's owner, and may have been locked out by someone else guessing at their account."""
        response = super().form_valid(form)
        AxesProxyHandler.reset_attempts(username=form.user.get_username())
        return response


class ResetCompleteView(AdminPageMixin, auth_views.PasswordResetCompleteView):
    pass


urlpatterns = [
    # Refused, like the login, to an address that is locked out of it (newsroom/login_throttle.py).
    path("", refuse_when_locked_out(ResetView.as_view()), name="admin_password_reset"),
    path("sent/", ResetDoneView.as_view(), name="password_reset_done"),
    path("<uidb64>/<token>/", ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("done/", ResetCompleteView.as_view(), name="password_reset_complete"),
]
