"""The trusted client address, with no proxy and behind one or two."""

import pytest
from django.test import RequestFactory

from core.client_address import client_address

PROXY = "10.0.0.2"  # the last proxy: the socket peer


def request(remote_addr=PROXY, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_address(request("192.0.2.10", "203.0.113.66")) == "192.0.2.10"
    assert client_address(request("192.0.2.10")) == "192.0.2.10"


@pytest.mark.parametrize(
    "forwarded_for,client",
    [
        ("198.51.100.7", "198.51.100.7"),
        # Whatever the client wrote sits to the left of what the proxy appended.
        ("203.0.113.66, 198.51.100.7", "198.51.100.7"),
        ("203.0.113.66, 1.1.1.1, 198.51.100.7", "198.51.100.7"),
        ("not-an-address, 198.51.100.7", "198.51.100.7"),
        # Private addresses are real clients too (an NHS network).
        ("203.0.113.66, 10.20.30.40", "10.20.30.40"),
        # Ports and IPv6 as proxies write them.
        ("198.51.100.7:52100", "198.51.100.7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
    ],
)
def test_behind_one_proxy_the_right_most_entry_is_the_client(settings, forwarded_for, client):
    settings.PROXY_COUNT = 1
    assert client_address(request(forwarded_for=forwarded_for)) == client


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.PROXY_COUNT = 2
    # client-written, client (appended by the outer proxy), outer proxy (appended by the inner)
    assert client_address(request(forwarded_for="203.0.113.66, 198.51.100.7, 10.0.0.1")) == (
        "198.51.100.7"
    )


def test_a_request_that_bypassed_the_proxies_gets_the_socket_peer(settings):
    settings.PROXY_COUNT = 2
    assert client_address(request("192.0.2.10")) == "192.0.2.10"
    assert client_address(request("192.0.2.10", "198.51.100.7")) == "192.0.2.10"


def test_no_address_at_all_is_none(settings):
    settings.PROXY_COUNT = 0
    assert client_address(request("")) is None
