"""The client's address and scheme, believing forwarded headers only from trusted proxies.

KCMAP_TRUSTED_PROXIES lists the IPs/CIDRs of the reverse proxies in front of kcmap (default:
none). Only when the immediate peer is one of them are `X-Forwarded-For` (walked from the
right, skipping trusted hops, up to the first untrusted address) and `X-Forwarded-Proto`
used; otherwise the peer address is the client, whatever headers it sends. The login rate
limit keys on this address, so rotating X-Forwarded-For cannot reset it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from geo.core.errors import InvalidInput

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Scope = MutableMapping[str, Any]
App = Callable[..., Awaitable[None]]


def trusted_networks(text: str) -> tuple[Network, ...]:
    """The networks of a comma-separated list of IPs/CIDRs; InvalidInput names a bad one."""
    out: list[Network] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise InvalidInput(f"KCMAP_TRUSTED_PROXIES: '{item}' không phải địa chỉ IP "
                               "hoặc dải CIDR") from exc
    return tuple(out)


def uvicorn_proxy_options(text: str) -> tuple[bool, str]:
    """uvicorn's (proxy_headers, forwarded_allow_ips): forwarded headers believed only from
    the configured proxies, never from loopback implicitly (uvicorn's own default)."""
    proxies = [str(net) for net in trusted_networks(text)]
    return bool(proxies), ",".join(proxies)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address as found in a header or the ASGI scope (brackets, v4 port allowed)."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(host: str | None, networks: tuple[Network, ...]) -> bool:
    """Whether a peer address lies in one of the trusted networks."""
    ip = _address(host) if host else None
    return ip is not None and any(ip in net for net in networks)


def forwarded_client(header: str, networks: tuple[Network, ...]) -> str | None:
    """The client named by an X-Forwarded-For chain: the rightmost untrusted valid address."""
    client: str | None = None
    for entry in reversed([e for e in header.split(",") if e.strip()]):
        ip = _address(entry)
        if ip is None:
            break
        client = str(ip)
        if not any(ip in net for net in networks):
            break
    return client


class TrustedProxyMiddleware:
    """Rewrite the ASGI client and scheme from forwarded headers of trusted peers only."""

    def __init__(self, app: App, networks: tuple[Network, ...]) -> None:
        self.app = app
        self.networks = networks

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """Adjust scope['client'] / scope['scheme'] when the peer is a trusted proxy."""
        peer = scope.get("client")
        if scope["type"] in ("http", "websocket") and self.networks and peer \
                and is_trusted(peer[0], self.networks):
            headers: dict[str, str] = {}
            for k, v in scope.get("headers", []):  # repeated headers are one comma list
                key = k.decode("latin-1").lower()
                value = v.decode("latin-1")
                headers[key] = f"{headers[key]},{value}" if key in headers else value
            client = forwarded_client(headers.get("x-forwarded-for", ""), self.networks)
            if client is not None:
                scope["client"] = (client, 0)
            proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
            if proto in ("http", "https") and scope["type"] == "http":
                scope["scheme"] = proto
        await self.app(scope, receive, send)
