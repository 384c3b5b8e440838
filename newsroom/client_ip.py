"""The reader's address: what comment rate limits, blocklists and stored comments know a reader by.

Site-wide rather than in comments/, since the admin's login throttling counts by the same address and must
not be fooled by a forged header any more than the comment form is.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says.

    Each trusted proxy appends the address it was reached from, so with N proxies the client is
    the Nth entry from the right and everything left of it came from the client itself. A header
    shorter than that did not pass through every proxy, so REMOTE_ADDR is used instead: a forged
    header can never move the address anywhere but to the sender's own.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < proxies:
        return remote
    return _valid_ip(hops[-proxies]) or remote


def _valid_ip(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.version == 6:
        # A zone ("fe80::1%eth0") names an interface of the proxy, not the reader, and the database's
        # address field refuses it. A dual-stack socket reports an IPv4 reader as ::ffff:a.b.c.d, which
        # would otherwise escape a blocklist line or rate limit written for a.b.c.d.
        if address.scope_id:
            address = ipaddress.IPv6Address(str(address).partition("%")[0])
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
    return str(address)
