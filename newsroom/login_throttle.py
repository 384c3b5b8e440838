"""The page a locked-out login gets, and the staff password reset's share of the same lockout.

django-axes counts failed logins in the database, so every app server sees the same count, and refuses any
login from a locked-out address or for a locked-out account before a password is checked (settings: AXES_*).
"""

import functools
import math
from collections.abc import Callable
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from newsroom.client_ip import client_ip

LOCKOUT_TEMPLATE = "login_locked.html"


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the site's own page (status 429) saying why and for how long, with no account
    name in it, so the page tells a stranger nothing about which accounts exist."""
    cool_off: timedelta | None = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0
    response = TemplateResponse(request, LOCKOUT_TEMPLATE, {"minutes": minutes}, status=429)
    if cool_off:
        # Seconds, as RFC 9110 asks; a well-behaved client waits that long before trying again.
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response.render()


def refuse_when_locked_out(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps the staff password reset: an address locked out of the login may not send reset emails either,
    so the reset form is no way round the lockout (nor a way to flood an inbox from that address)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method == "POST" and address_locked_out(request):
            return lockout_response(request)
        return view(request, *args, **kwargs)

    return wrapped


def address_locked_out(request: HttpRequest) -> bool:
    """Whether the request's address has failed to log in AXES_FAILURE_LIMIT times within the cool-off: the
    address half of django-axes' own test (its handler would also count a username, which a reset form has not)."""
    cool_off = get_cool_off(request) or timedelta(days=36500)
    failures = AccessAttempt.objects.filter(
        ip_address=client_ip(request), attempt_time__gte=timezone.now() - cool_off
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT
