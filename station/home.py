"""The data directory: settings, the secret key and the ledger, opened together."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from station.codes import CodeKey, create_key_file, load_key_file
from station.config import CONFIG_NAME, Config, documented_config_path, load_config
from station.errors import ConfigError
from station.ledger import Actor, Ledger, open_ledger

if TYPE_CHECKING:
    from station.ledger.hidden import HiddenTables

KEY_NAME = "code.key"
HIDDEN_KEY_NAME = "hidden.key"  # the hidden codes' key of its own (station/hidden.py)
LEDGER_NAME = "ledger.sqlite3"
# what only the station's own user may read: the key, the ledger with its WAL, the settings (a PostgreSQL password)
PRIVATE_FILES = (KEY_NAME, LEDGER_NAME, LEDGER_NAME + "-wal", LEDGER_NAME + "-shm", CONFIG_NAME, HIDDEN_KEY_NAME)
PRIVATE_DIRS = (".", "captures")


def private_dir(path: Path) -> bool:
    """Make ``path`` a directory only its owner can enter; True if it existed and was open to others."""
    existed = path.is_dir()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return _tighten(path, 0o700) and existed


def private_copy(source: Path, target: Path) -> None:
    """Copy ``source`` to a new file ``target`` readable by its owner only (mode 0600 from creation)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(source.read_bytes())


def _tighten(path: Path, mode: int) -> bool:
    """Take group and others' access off ``path``; True if it had any."""
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(mode)
        return True
    return False


@dataclass
class Home:
    """One station's data directory and what lives in it."""

    path: Path
    config: Config
    operator: str
    _key: CodeKey | None = field(default=None, repr=False)
    _ledger: Ledger | None = field(default=None, repr=False)
    tightened: list[Path] = field(default_factory=list)  # what `init` took group and others' access off

    @classmethod
    def open(cls, path: Path, config_file: Path | None = None, operator: str | None = None) -> Home:
        """Load settings for the data directory at ``path`` (it need not be initialised yet)."""
        config = load_config(path, config_file)
        return cls(path=path, config=config, operator=operator or config.operator_name())

    @property
    def key_path(self) -> Path:
        """Where the secret key lives."""
        return self.path / KEY_NAME

    @property
    def ledger_url(self) -> str:
        """The configured ledger URL, defaulting to SQLite in the data directory."""
        return self.config.ledger.url or f"sqlite:///{(self.path / LEDGER_NAME).resolve()}"

    def is_initialised(self) -> bool:
        """True once `station init` has created the key."""
        return self.key_path.exists()

    def init(self) -> bool:
        """Create the directory (mode 0700), key, settings copy and ledger (mode 0600 from creation); False if
        already done. An existing directory or file others could read is tightened, and listed in ``tightened``.

        A key is created only for a ledger that has none: a new key cannot check codes issued under the old one,
        so a ledger with history and no key file is refused (restore the key from backup).
        """
        try:
            self.tightened = [self.path / d for d in PRIVATE_DIRS if private_dir(self.path / d)]
            self.tightened += [
                self.path / f for f in PRIVATE_FILES if (self.path / f).exists() and _tighten(self.path / f, 0o600)
            ]
        except OSError as err:
            raise ConfigError("config.home_unusable", home=str(self.path), reason=err.strerror or str(err)) from err
        created = False
        if not self.key_path.exists():
            raw = self._open_ledger()
            try:
                if raw.meta("key_fingerprint") is not None or not raw.is_empty():
                    raise ConfigError("config.key_missing", path=str(self.key_path))
            finally:
                raw.close()
            try:
                create_key_file(self.key_path)
            except OSError as err:
                raise ConfigError("config.home_unusable", home=str(self.path), reason=err.strerror or "") from err
            created = True
        settings = self.path / CONFIG_NAME
        if not settings.exists() and documented_config_path().exists():
            private_copy(documented_config_path(), settings)
        self.ledger.verify_audit()
        self.ensure_hidden_key()
        return created

    def ensure_hidden_key(self) -> None:
        """Create ``hidden.key`` (station/hidden.py) when the ledger has no hidden order yet. With hidden orders and
        no key the labels already printed could never be checked: that is refused (restore it from backup)."""
        path = self.path / HIDDEN_KEY_NAME
        if path.exists():
            return
        if cast("HiddenTables", self.ledger).hidden_order_ids():
            raise ConfigError("hidden.key_missing", path=str(path))
        try:
            create_key_file(path)
        except OSError as err:
            raise ConfigError("config.home_unusable", home=str(self.path), reason=err.strerror or "") from err

    @property
    def key(self) -> CodeKey:
        """The code key; ConfigError when the directory is not initialised or the key was lost."""
        if self._key is None:
            if not self.key_path.exists():
                if not self.path.exists() or not (self.path / LEDGER_NAME).exists():
                    raise ConfigError("config.not_initialised", home=str(self.path))
                raise ConfigError("config.key_missing", path=str(self.key_path))
            self._key = load_key_file(self.key_path)
        return self._key

    def _open_ledger(self) -> Ledger:
        actor = Actor(operator=self.operator, station=self.config.station.id)
        return open_ledger(self.ledger_url, actor, self.config.ledger.busy_timeout_s)

    @property
    def ledger(self) -> Ledger:
        """The ledger, opened on first use with the key's audit subkey; the key must be the ledger's own."""
        if self._ledger is None:
            key = self.key
            ledger = self._open_ledger()
            recorded = ledger.meta("key_fingerprint")
            if recorded is None:
                ledger.set_meta("key_fingerprint", key.fingerprint)
            elif recorded != key.fingerprint:
                ledger.close()
                raise ConfigError("config.key_mismatch", path=str(self.key_path))
            ledger.audit_key = key.audit_key
            self._ledger = ledger
        return self._ledger

    def __enter__(self) -> Home:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the ledger if open."""
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None
