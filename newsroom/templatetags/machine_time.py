"""The one format for the machine-readable time in `<time datetime="...">`, on every page.

Django's `date:'c'` writes microseconds ("2026-12-03T09:15:42.123456+00:00"), which HTML does not allow: a
valid date-and-time string has at most three digits of fractional seconds, so the Nu HTML Checker reported an
error for every `<time>` on every page. A reader's calendar, a search engine or a screen reader reading the
attribute needs the second at most, so the fraction is dropped rather than cut to milliseconds.

Templates: `{% load machine_time %}` then `<time datetime="{{ value|machine_datetime }}">`. Python that
writes a `<time>` element (the admin's preview link) calls `machine_datetime()` itself.
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def machine_datetime(value: datetime | date | None) -> str:
    """ISO 8601 to the second, with the offset of the site's time zone: "2026-12-03T09:15:42+00:00".

    An aware time is shown in the current time zone, as the visible text beside it is; a naive one is taken
    as it is. None (a story without a publication time) gives "", as Django's date filter does.
    """
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()  # a date alone: "2026-12-03"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


register.filter("machine_datetime", machine_datetime)
