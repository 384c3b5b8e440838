"""The reader's address behind proxies."""

import pytest
from django.test import RequestFactory

from newsroom.client_ip import client_ip


def request(remote: str = "192.0.2.10", forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "192.0.2.10"),
        (0, "203.0.113.5", "192.0.2.10"),  # no proxy: the header is the client's own invention
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged entry on the left moves nothing
        (1, " 6.6.6.6 ,203.0.113.5 ", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 198.51.100.1", "203.0.113.5"),
        (2, "203.0.113.5", "192.0.2.10"),  # shorter than the proxy chain: not through every proxy
        (1, "", "192.0.2.10"),
        (1, "not-an-ip", "192.0.2.10"),
        (1, "203.0.113.5:443", "192.0.2.10"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "fe80::1%eth0", "fe80::1"),  # the proxy's interface is no part of the reader's address
        (1, "fe80::1%" + "e" * 60, "fe80::1"),
        (1, "::ffff:203.0.113.5", "203.0.113.5"),  # an IPv4 reader seen through a dual-stack socket
    ],
)
def test_client_address_trusts_forwarded_for_only_as_far_as_the_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(forwarded=forwarded)) == expected


def test_a_dual_stack_remote_address_is_the_ipv4_one(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(remote="::ffff:192.0.2.10")) == "192.0.2.10"


def test_a_missing_or_broken_remote_address_is_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(remote="")) is None
    assert client_ip(request(remote="garbage")) is None
