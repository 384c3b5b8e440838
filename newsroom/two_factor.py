"""Two-factor sign-in for staff: a six-digit code from an authenticator app (TOTP, django-otp) after the password.

Any staff member may add an app from the admin ("Two-factor sign-in" in the user links); from then on the login
asks for its code as well as the password. settings.TWO_FACTOR_REQUIRED_FOR (NEWSROOM_2FA_REQUIRED_FOR) names who
must: such a person, signed in without a code, is sent to add an app (or to type its code) before anything else.
A lost phone is dealt with by an administrator deleting the person's device under "TOTP devices" in the admin.
"""

import base64
import io
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

# Where an enrolment in progress keeps the id of the device it made, until its first code confirms it.
PENDING_DEVICE_SESSION_KEY = "newsroom_pending_totp_device"


class CodeField(forms.CharField):
    """Six digits as an app shows them; the spaces some apps put in the middle are dropped."""

    def to_python(self, value: str | None) -> str:
        return "".join((super().to_python(value) or "").split())


def confirmed_devices(user: AbstractBaseUser) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.devices_for_user(user, confirmed=True))


def verify_code(user: AbstractBaseUser, code: str, devices: list[TOTPDevice]) -> TOTPDevice | None:
    """The device among `devices` that accepts `code`, if any. django-otp checks the time window, refuses a
    code already used and slows down guessing (each failure doubles the wait before the device checks again)."""
    if not code.isdigit():
        return None
    for device in devices:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's login form with the code from an authenticator app, which is required of those who added one.

    A wrong or missing code gets the same answer as a wrong password and counts as a failed login for the
    lockout (newsroom/login_throttle.py), so the form neither confirms a guessed password nor lets codes be
    guessed faster than passwords.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter the correct %(username)s and password for a staff account, and the code from your "
            "authenticator app if you have set one up. Note that both fields may be case-sensitive."
        ),
    }

    otp_token = CodeField(
        label="Code from your authenticator app",
        required=False,
        max_length=16,
        help_text="Only if you have set up two-factor sign-in.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_username(self) -> str:
        """A name longer than any account's is no account's: refused before authenticating, as Django's form
        only tells the browser the limit, and django-axes would otherwise try to record it (a database error on
        PostgreSQL, whose column holds 255 characters)."""
        username = self.cleaned_data["username"]
        if len(username) > (self.fields["username"].max_length or 254):
            raise self.get_invalid_login_error()
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        devices = confirmed_devices(user)
        if not devices:
            return cleaned
        device = verify_code(user, cleaned.get("otp_token", ""), devices)
        if device is None:
            # As django.contrib.auth.authenticate() announces a wrong password, so django-axes counts it.
            user_login_failed.send(
                sender=__name__, credentials={"username": cleaned.get("username")}, request=self.request
            )
            self.user_cache = None
            raise self.get_invalid_login_error()
        # django-otp's user_logged_in receiver records the device in the session: the session is verified.
        user.otp_device = device
        return cleaned


def two_factor_required(user: AbstractBaseUser) -> bool:
    """Whether settings.TWO_FACTOR_REQUIRED_FOR names this staff member: "superusers", "staff" (everyone), or a
    role's group, by its name in roles/groups.py in any case and in the singular or plural ("editors")."""
    names = {name.strip().lower() for name in settings.TWO_FACTOR_REQUIRED_FOR}
    if not names or not user.is_staff:
        return False
    if "staff" in names or ("superusers" in names and user.is_superuser):
        return True
    wanted = {name.removesuffix("s") for name in names} | names
    return any(group.lower() in wanted for group in user.groups.values_list("name", flat=True))


class RequireTwoFactorMiddleware:
    """Sends a signed-in staff member whom settings.TWO_FACTOR_REQUIRED_FOR names, and whose session no code has
    confirmed, to the two-factor page before anything else: to add an app, or to type its code.

    A request without a session cookie is let through untouched, so readers' pages neither read the session nor
    gain a `Vary: Cookie`; with the setting empty nothing is checked at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.TWO_FACTOR_REQUIRED_FOR
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not self._exempt(request.path)
            and two_factor_required(request.user)
        ):
            return redirect(f"{reverse('admin:two_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        """The two-factor page itself, logging out, and the files those pages load."""
        allowed = (reverse("admin:two_factor"), reverse("admin:logout"), settings.STATIC_URL, settings.MEDIA_URL)
        return path.startswith(tuple(prefix if prefix.startswith("/") else f"/{prefix}" for prefix in allowed))


class CodeForm(forms.Form):
    otp_token = CodeField(
        label="Code from your authenticator app",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def qr_code_data_uri(text: str) -> str:
    """The QR code of `text` as an SVG data: URI, which the Content-Security-Policy's img-src allows."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def two_factor_view(request: HttpRequest, admin_context: dict) -> HttpResponse:
    """The two-factor page (the admin wraps it, so only a signed-in staff member reaches it).

    With no app added yet: a new secret, as a QR code and as text, shown until its first code confirms it; it is
    never shown again after that. With an app added but this session not confirmed by it: a box for its code.
    With both: says so, and how to replace a lost phone.
    """
    user = request.user
    devices = confirmed_devices(user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    context = {
        **admin_context,
        "title": "Two-factor sign-in",
        "required": two_factor_required(user),
        "devices": devices,
        "verified": user.is_verified(),
        "next": next_url,
    }
    if devices and user.is_verified():
        return TemplateResponse(request, "admin/two_factor.html", context)

    pending = None
    if not devices:
        pending = _pending_device(request, create=request.method != "POST")
        if pending is None:  # a POST whose enrolment has gone (another tab started again): start afresh
            return redirect(request.get_full_path())
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = verify_code(user, form.cleaned_data["otp_token"], [pending] if pending else devices)
        if device is None:
            form.add_error("otp_token", "That code is not right. Type the code your app shows now.")
        else:
            if pending is not None:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
            otp_login(request, device)
            messages.success(
                request,
                "Two-factor sign-in is on: the login will ask for a code from your app."
                if pending is not None
                else "Code accepted.",
            )
            return HttpResponseRedirect(next_url or reverse("admin:index"))
    if pending is not None:
        context["secret"] = base64.b32encode(pending.bin_key).decode("ascii")
        context["qr_code"] = qr_code_data_uri(pending.config_url)
    context["form"] = form
    return TemplateResponse(request, "admin/two_factor.html", context)


def _pending_device(request: HttpRequest, *, create: bool) -> TOTPDevice | None:
    """The unconfirmed device this session is enrolling. Showing the page afresh makes a new secret, and
    forgets any other unconfirmed one of the person's, so an abandoned secret never becomes usable."""
    user = request.user
    if not create:
        device_id = request.session.get(PENDING_DEVICE_SESSION_KEY)
        return TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() if device_id else None
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
    return device
