"""Whether an order's QR codes lead somewhere a buyer's phone can open, checked before a print run prints anything.

Every label carries ``<base_url>/<code>`` as its order was issued (``orders.base_url``). A label is printed only
when that address is

- not an example or reserved name (the default ``trace.example.org``, any ``example.com/.net/.org`` name, and
  the ``.example``, ``.invalid`` and ``.localhost`` names of RFC 2606 and RFC 6761): no phone reaches them, and a
  roll printed with one is a roll of labels that answer nothing;
- https: WeChat's built-in browser, which most buyers scan with, opens only https addresses of an ICP-filed
  domain with a valid certificate, and phone browsers warn on plain http. ``[query] allow_http = true`` lets a
  trial on the office's own network print http labels: the run goes ahead, warns on screen, and records the
  warning in the ledger (event ``run.http_allowed``).

``check_order`` is called where every run starts (``station.run_setup.open_run``: the command, the app and the
demo). A refusal is a ConfigError naming the setting to change.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from station.errors import ConfigError
from station.home import Home
from station.texts import t

EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
RESERVED_SUFFIXES = (".example", ".invalid", ".localhost")


def example_host(host: str) -> bool:
    """True for a name no phone can reach: an example domain (or a name under one) or a reserved suffix."""
    host = host.lower().rstrip(".")
    return (
        host in EXAMPLE_DOMAINS
        or any(host.endswith("." + domain) for domain in EXAMPLE_DOMAINS)
        or host in ("example", "invalid", "localhost")
        or host.endswith(RESERVED_SUFFIXES)
    )


def reach_problem(base_url: str, allow_http: bool) -> str | None:
    """What keeps phones from opening labels that point at ``base_url``: ``"example"``, ``"http"`` (refused),
    ``"http_allowed"`` (allowed by the setting, with a warning), or None when nothing does."""
    parts = urlsplit(base_url)
    if example_host(parts.hostname or ""):
        return "example"
    if parts.scheme != "https":
        return "http_allowed" if allow_http else "http"
    return None


def check_order(home: Home, order_id: int) -> str | None:
    """Refuse (ConfigError) to print an order whose labels would point at an example address or at plain http;
    for http allowed by ``[query] allow_http`` record the warning in the ledger and return its text."""
    ledger = home.ledger
    base_url = ledger.order(order_id)["base_url"]
    problem = reach_problem(base_url, home.config.query.allow_http)
    if problem is None:
        return None
    if problem != "http_allowed":
        raise ConfigError(f"reach.{problem}", order=order_id, base_url=base_url)
    with ledger.transaction():
        ledger.append_event("run.http_allowed", {"base_url": base_url}, order_id=order_id)
    return t("reach.http_allowed", order=order_id, base_url=base_url)
