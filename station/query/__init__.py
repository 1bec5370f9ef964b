"""The consumer query service (`station serve`): what a label's QR code opens.

    net        who is asking: client address (X-Forwarded-For only from trusted proxies), rate key, network
    ratelimit  token buckets per client and per network; failed lookups cost more, a typo's hint per MAC it checks
    store      QueryStore: counters, anomalies, daily totals, reports (written only to those four tables)
    counters   counting in memory, copy detection, batched writes from one thread
    serials    the check digit, MAC and keyed permutation of station.codes, tabulated for the service
    changes    whether anything but the service's own counters was committed to a SQLite ledger, read without a query
    answer     the verdict for a code: checked offline first, then read from the ledger
    pages      the code page from fragments rendered once; the other pages by their templates
    app        the ASGI app: a scan's page and JSON answered in front of Starlette; the rest by Starlette's routes
    guard      limits on what a connection may send: head size, read timeouts, idle time, connection cap
    server     uvicorn (held to the guard's limits), in the foreground or in a thread
    office     statistics and reports for the office (``station stats``, ``station reports``, the app)
    hidden     hidden-code (暗码) entries: the form under a genuine page, the JSON API, limits per code and client
    hidden_office  codes verified more than once and codes under guessing, for ``station stats`` and the app

Only ``pages``, ``app``, ``hidden``, ``guard`` and ``server`` import the web stack; importing this package does not.
"""

from station.query.office import reports, stats

__all__ = ["reports", "stats"]
