"""Token buckets per client, so nobody can enumerate codes or flood the service.

A request may start when its client's bucket holds at least one token; when it is done it pays what it cost
(a good lookup 1, a failed one more), so the bucket can go below zero and a guesser waits the debt off. Buckets
live in memory only, in the event loop's thread (no locks); at most ``max_clients`` are kept, and the ones
touched longest ago are dropped first. A dropped bucket counts as full again, so a debt is forgotten only after
``max_clients`` other clients were seen since.
"""

from __future__ import annotations

import math
from collections import OrderedDict


class TokenBuckets:
    """One bucket of ``burst`` tokens per key, refilled at ``per_second``."""

    def __init__(self, per_second: float, burst: float, max_clients: int = 100_000) -> None:
        self.per_second = per_second
        self.burst = burst
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def level(self, key: str, now: float) -> float:
        """The tokens in ``key``'s bucket at ``now``, at most ``burst``; with 1 or more it may make a request."""
        found = self._buckets.get(key)
        if found is None:
            return self.burst
        tokens = found[0] + (now - found[1]) * self.per_second
        return tokens if tokens < self.burst else self.burst

    def wait(self, key: str, now: float) -> float:
        """Seconds until ``key`` may make a request; 0 when it may now."""
        tokens = self.level(key, now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.per_second

    def charge(self, key: str, cost: float, now: float) -> None:
        """Take ``cost`` tokens from ``key``'s bucket (it may go negative: a debt to wait off)."""
        self.settle(key, self.level(key, now) - cost, now)

    def settle(self, key: str, tokens: float, now: float) -> None:
        """Leave ``tokens`` in ``key``'s bucket at ``now``: its ``level`` at ``now`` less what was taken since."""
        buckets = self._buckets
        buckets[key] = (tokens, now)
        buckets.move_to_end(key)
        if len(buckets) > self.max_clients:
            while len(buckets) > self.max_clients:
                buckets.popitem(last=False)

    def retry_after(self, key: str, now: float) -> int:
        """Whole seconds to put in a Retry-After header (at least 1)."""
        return max(1, math.ceil(self.wait(key, now)))
