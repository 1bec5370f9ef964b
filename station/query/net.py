"""Who is asking: the client address (X-Forwarded-For only from trusted proxies) and the networks derived from it.

Three granularities, all computed here and nowhere else:

- the *rate key* is the finest thing one client controls: one IPv4 address, or one IPv6 /64 (a subscriber's
  usual allocation). Token buckets are kept per rate key; it is never stored.
- the *network key* is what one holder of many addresses controls: an IPv4 /24, an IPv6 /48 (a site's usual
  allocation, 65,536 /64s). A second set of larger buckets is kept per network key, so that spreading requests over
  the addresses of one network does not multiply its allowance; it is never stored either.
- the *client network* is the coarse place a query came from: the IPv4 /16 or IPv6 /48. Copy detection compares
  it (one code queried from two far-apart networks), and it is what the ledger stores with counters, anomalies and
  reports: no full address is ever written down.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

RATE_PREFIX = {4: 32, 6: 64}
NETWORK_RATE_PREFIX = {4: 24, 6: 48}
NETWORK_PREFIX = {4: 16, 6: 48}


@dataclass(frozen=True)
class Client:
    """One request's client: its address, rate key, client network and network key."""

    address: Address
    rate_key: str
    network: str
    network_key: str = ""


def parse_proxies(setting: str) -> tuple[Network, ...]:
    """The ``[query] trusted_proxies`` setting as networks (a bare address is a /32 or /128)."""
    return tuple(ipaddress.ip_network(item, strict=False) for item in setting.replace(",", " ").split())


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:1234" as some proxies write it
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:1234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, proxies: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(peer: str | None, forwarded_for: str | None, proxies: tuple[Network, ...]) -> Address:
    """The client's address: the connecting peer, unless the peer is a trusted proxy.

    Then X-Forwarded-For is read from the right (each proxy appends the address it saw), skipping trusted proxies;
    the first untrusted address is the client. Anything to its left was written by the client itself and is
    ignored, so a client cannot choose its own address by sending the header.
    """
    address = _address(peer or "") or ipaddress.IPv4Address("0.0.0.0")  # noqa: S104 - "no address", not a bind
    if not forwarded_for or not _trusted(address, proxies):
        return address
    for item in reversed(forwarded_for.split(",")):
        hop = _address(item)
        if hop is None:
            break  # garbage from here on was not written by our proxies
        address = hop
        if not _trusted(hop, proxies):
            break
    return address


def prefix(address: Address, bits: dict[int, int]) -> str:
    """``address`` reduced to its network of the given prefix length, e.g. ``203.0.0.0/16``."""
    length = bits[address.version]
    host_bits = address.max_prefixlen - length
    network = type(address)(int(address) >> host_bits << host_bits)  # integer arithmetic: 5x ip_network()
    return f"{network}/{length}"


def client(peer: str | None, forwarded_for: str | None, proxies: tuple[Network, ...]) -> Client:
    """The client of one request, with its rate key, client network and network key."""
    address = client_address(peer, forwarded_for, proxies)
    return Client(
        address,
        prefix(address, RATE_PREFIX),
        prefix(address, NETWORK_PREFIX),
        prefix(address, NETWORK_RATE_PREFIX),
    )
