"""Secrets kept out of what the station shows: passwords in URLs and connection strings."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
_IN_TEXT = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@]*:)(?P<secret>[^\s@/]+)(?P<tail>@)")
_KEYWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<secret>'[^']*'|[^\s&;]+)", re.IGNORECASE)


def redacted(url: str) -> str:
    """The URL with any password replaced by ***, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", f":{MASK}@", 1)))


def masked(text: str) -> str:
    """``text`` with every password in it replaced by ***: in URLs (``scheme://user:PASSWORD@host``) and in
    connection strings (``password=PASSWORD``)."""
    text = _IN_TEXT.sub(lambda m: m["head"] + MASK + m["tail"], text)
    return _KEYWORD.sub(lambda m: m["head"] + MASK, text)


def shown_value(value: Any) -> Any:
    """A setting's value as shown on a screen or printed: strings masked, anything else as it is."""
    return masked(value) if isinstance(value, str) else value


def unmasked(typed: str, current: Any) -> str:
    """What a person meant by ``typed`` in a settings form that showed ``current`` masked: the value unchanged when
    they left the mask in place, else what they typed."""
    if isinstance(current, str) and current != masked(current) and typed == masked(current):
        return current
    return typed
