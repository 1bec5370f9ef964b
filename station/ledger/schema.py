"""SQLite schema, as numbered migrations applied in order and recorded in ``PRAGMA user_version``."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: registry, orders, codes, append-only events with a hash chain
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE enterprises (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        credit_code TEXT NOT NULL UNIQUE,
        contact TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        blacklisted INTEGER NOT NULL DEFAULT 0 CHECK (blacklisted IN (0, 1)),
        blacklist_reason TEXT,
        created_at TEXT NOT NULL
    );

    CREATE TABLE products (
        id INTEGER PRIMARY KEY,
        enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
        name TEXT NOT NULL,
        origin_code TEXT NOT NULL,
        certifications TEXT NOT NULL DEFAULT '[]',
        shelf_life_days INTEGER,
        gtin TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX products_enterprise ON products(enterprise_id);

    CREATE TABLE orders (
        id INTEGER PRIMARY KEY,
        enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
        product_id INTEGER NOT NULL REFERENCES products(id),
        count INTEGER NOT NULL CHECK (count > 0),
        base_url TEXT NOT NULL,
        gtin TEXT,
        lot TEXT,
        created_at TEXT NOT NULL
    );

    -- An order's serials as ranges: the first range at issue, more when replacements are drawn later.
    CREATE TABLE order_ranges (
        order_id INTEGER NOT NULL REFERENCES orders(id),
        first_serial INTEGER NOT NULL,
        last_serial INTEGER NOT NULL CHECK (last_serial >= first_serial),
        PRIMARY KEY (order_id, first_serial)
    );

    -- One row per code. The 20 digits are computed from the serial and the key, never stored.
    CREATE TABLE codes (
        serial INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 6)
    );

    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        operator TEXT NOT NULL,
        station TEXT NOT NULL,
        kind TEXT NOT NULL,
        enterprise_id INTEGER,
        product_id INTEGER,
        order_id INTEGER,
        serial INTEGER,
        data TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX events_serial ON events(serial) WHERE serial IS NOT NULL;
    CREATE INDEX events_order ON events(order_id) WHERE order_id IS NOT NULL;
    CREATE INDEX events_enterprise ON events(enterprise_id) WHERE enterprise_id IS NOT NULL;

    CREATE TABLE chain_head (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        last_id INTEGER NOT NULL,
        last_hash TEXT NOT NULL
    );
    INSERT INTO chain_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;
    CREATE TRIGGER codes_never_deleted BEFORE DELETE ON codes
        BEGIN SELECT RAISE(ABORT, 'codes are never deleted; void them'); END;
    CREATE TRIGGER codes_serial_fixed BEFORE UPDATE OF serial, order_id ON codes
        BEGIN SELECT RAISE(ABORT, 'a code keeps its serial and order'); END;
    """,
]

MIGRATIONS.append(
    # 2: print runs and rolls
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        template TEXT NOT NULL,
        roll_size INTEGER NOT NULL CHECK (roll_size > 0),
        printer TEXT NOT NULL,
        camera TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'done', 'stopped')),
        reason TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE INDEX runs_order ON runs(order_id);

    -- A roll: a header label, then labels in the order they were printed.
    CREATE TABLE rolls (
        id TEXT PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        order_id INTEGER NOT NULL REFERENCES orders(id),
        number INTEGER NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT
    );
    CREATE INDEX rolls_order ON rolls(order_id);

    -- Every label that went onto a roll, in position order; serial is NULL for the header.
    CREATE TABLE roll_labels (
        roll_id TEXT NOT NULL REFERENCES rolls(id),
        position INTEGER NOT NULL,
        serial INTEGER REFERENCES codes(serial),
        PRIMARY KEY (roll_id, position)
    );
    CREATE UNIQUE INDEX roll_labels_serial ON roll_labels(serial) WHERE serial IS NOT NULL;
    """
)

MIGRATIONS.append(
    # 3: lots with their records and inspection; pickups of rolls
    """
    CREATE TABLE lots (
        id INTEGER PRIMARY KEY,
        product_id INTEGER NOT NULL REFERENCES products(id),
        number TEXT NOT NULL,
        production_date TEXT NOT NULL,
        quantity TEXT NOT NULL DEFAULT '',
        records TEXT NOT NULL DEFAULT '[]',
        inspection TEXT CHECK (inspection IN ('pass', 'fail')),
        inspection_report TEXT,
        released INTEGER NOT NULL DEFAULT 0 CHECK (released IN (0, 1)),
        recalled INTEGER NOT NULL DEFAULT 0 CHECK (recalled IN (0, 1)),
        recall_reason TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (product_id, number)
    );

    CREATE TABLE pickups (
        id INTEGER PRIMARY KEY,
        enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
        receiver TEXT NOT NULL,
        operator TEXT NOT NULL,
        station TEXT NOT NULL,
        at TEXT NOT NULL,
        undone_at TEXT,
        undo_reason TEXT
    );
    CREATE TABLE pickup_rolls (
        pickup_id INTEGER NOT NULL REFERENCES pickups(id),
        roll_id TEXT NOT NULL REFERENCES rolls(id),
        PRIMARY KEY (pickup_id, roll_id)
    );
    CREATE INDEX pickup_rolls_roll ON pickup_rolls(roll_id);

    ALTER TABLE codes ADD COLUMN lot_id INTEGER REFERENCES lots(id);
    """
)

MIGRATIONS.append(
    # 4: the documents an enterprise applies with (licences, qualifications)
    """
    ALTER TABLE enterprises ADD COLUMN documents TEXT NOT NULL DEFAULT '{}';
    """
)

MIGRATIONS.append(
    # 5: operators who sign in to the app, with a role and a slowly hashed PIN
    """
    CREATE TABLE operators (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('clerk', 'qc', 'admin')),
        pin_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """
)

MIGRATIONS.append(
    # 6: the consumer query service (`station serve`): query counters per code, copy-detection anomalies,
    # queries per day and outcome, consumer reports. These four tables are the only ones the service writes.
    """
    CREATE TABLE query_codes (
        serial INTEGER PRIMARY KEY REFERENCES codes(serial),
        queries INTEGER NOT NULL CHECK (queries > 0),
        first_at TEXT NOT NULL,
        last_at TEXT NOT NULL,
        last_network TEXT NOT NULL,
        anomalies INTEGER NOT NULL DEFAULT 0 CHECK (anomalies >= 0)
    );
    CREATE INDEX query_codes_queries ON query_codes(queries);

    -- One code queried from two far-apart client networks within the configured window.
    CREATE TABLE query_anomalies (
        id INTEGER PRIMARY KEY,
        serial INTEGER NOT NULL REFERENCES codes(serial),
        at TEXT NOT NULL,
        network TEXT NOT NULL,
        previous_network TEXT NOT NULL,
        previous_at TEXT NOT NULL
    );
    CREATE INDEX query_anomalies_serial ON query_anomalies(serial);
    CREATE INDEX query_anomalies_at ON query_anomalies(at);

    -- Queries per day (the service host's local date, YYYY-MM-DD) and outcome: genuine, repeated, voided,
    -- recalled, blacklisted, undistributed, unknown, forged, check_digit, malformed.
    CREATE TABLE query_daily (
        day TEXT NOT NULL,
        status TEXT NOT NULL,
        queries INTEGER NOT NULL CHECK (queries >= 0),
        PRIMARY KEY (day, status)
    );

    -- 失信行为举报: a consumer's report about a code (the digits as the page had them; serial when genuine).
    CREATE TABLE query_reports (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        code TEXT NOT NULL,
        serial INTEGER REFERENCES codes(serial),
        kind TEXT NOT NULL CHECK (kind IN ('counterfeit', 'quality', 'other')),
        text TEXT NOT NULL,
        contact TEXT NOT NULL DEFAULT '',
        network TEXT NOT NULL
    );
    CREATE INDEX query_reports_at ON query_reports(at);
    """
)

MIGRATIONS.append(
    # 7: a roll is in at most one pickup that stands (not undone), enforced by a unique index; where two pickups
    # already held a roll, the earlier one keeps it
    """
    ALTER TABLE pickup_rolls ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
    UPDATE pickup_rolls SET active = 0 WHERE pickup_id IN (SELECT id FROM pickups WHERE undone_at IS NOT NULL);
    UPDATE pickup_rolls SET active = 0 WHERE active = 1 AND EXISTS (
        SELECT 1 FROM pickup_rolls earlier
        WHERE earlier.roll_id = pickup_rolls.roll_id AND earlier.active = 1
        AND earlier.pickup_id < pickup_rolls.pickup_id
    );
    CREATE UNIQUE INDEX pickup_rolls_one_active ON pickup_rolls(roll_id) WHERE active = 1;
    """
)

MIGRATIONS.append(
    # 8: an operator can be disabled (kept, with their history, but no longer signs in)
    """
    ALTER TABLE operators ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
    """
)

MIGRATIONS.append(
    # 9: a roll's header is printed once the roll is complete (after its labels): how many header prints were started
    # and when the last one was sent whole; rolls from before were headed when opened
    """
    ALTER TABLE rolls ADD COLUMN headers INTEGER NOT NULL DEFAULT 0 CHECK (headers >= 0);
    ALTER TABLE rolls ADD COLUMN header_at TEXT;
    UPDATE rolls SET headers = 1, header_at = opened_at;
    """
)

MIGRATIONS.append(
    # 10: 承诺达标合格证 issued per lot: each numbered, with when, by whom, at which station and on which printer
    """
    CREATE TABLE certificates (
        id INTEGER PRIMARY KEY,
        lot_id INTEGER NOT NULL REFERENCES lots(id),
        number TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        operator TEXT NOT NULL,
        station TEXT NOT NULL,
        printer TEXT NOT NULL
    );
    CREATE INDEX certificates_lot ON certificates(lot_id);
    """
)

MIGRATIONS.append(
    # 11: hidden codes (暗码): the orders whose labels carry one, and what the query service learnt of each code's
    # hidden code (its first right entry, later right entries, wrong entries)
    """
    CREATE TABLE hidden_orders (
        order_id INTEGER PRIMARY KEY REFERENCES orders(id),
        at TEXT NOT NULL
    );

    CREATE TABLE query_hidden (
        serial INTEGER PRIMARY KEY REFERENCES codes(serial),
        first_at TEXT,
        first_network TEXT,
        verified INTEGER NOT NULL DEFAULT 0,
        last_at TEXT,
        wrong INTEGER NOT NULL DEFAULT 0,
        last_wrong_at TEXT
    );
    CREATE INDEX query_hidden_verified ON query_hidden(verified);
    CREATE INDEX query_hidden_wrong ON query_hidden(wrong);
    """
)

SCHEMA_VERSION = len(MIGRATIONS)
