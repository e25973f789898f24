"""What the web side does for security beyond Django's and its libraries' defaults: the client
address behind a trusted proxy, the sign-in lockout page, and `Cache-Control` on everything that
is not a static file.

Which proxies are trusted is one setting, `[web] trusted_proxies`: gunicorn believes their
X-Forwarded-Proto (see edinsights.web.server.serve) and `client_ip` their X-Forwarded-For, so that
sign-in throttling (django-axes) counts failures per real client, not per proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control


@lru_cache(maxsize=1)
def _trusted(networks: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(network) for network in networks)


def is_trusted_proxy(address: str, networks: Iterable[str]) -> bool:
    """Whether `address` is in one of `networks` (addresses or CIDR networks)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted(tuple(networks)))


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request` (django-axes' AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless that is a trusted proxy: then the right-most X-Forwarded-For entry that is
    not itself a trusted proxy. Entries further left were written by the client and prove nothing.
    """
    trusted = settings.EDINSIGHTS.trusted_proxies
    address = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(address, trusted):
        return address
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(forwarded):
        if hop and not is_trusted_proxy(hop, trusted):
            return hop
    return address


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response Django makes.

    Pages, CSVs and API answers hold course data a shared cache or the browser's disk must not
    keep. Static files never reach this middleware: WhiteNoise, placed before it, answers them
    with its own caching headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE): 429, how long."""
    minutes = settings.AXES_COOLOFF_TIME.total_seconds() / 60
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        # "15", or "0.5" for a cool-off shorter than a minute.
        "minutes": f"{minutes:g}",
    }
    return render(request, "web/locked_out.html", context, status=429)
