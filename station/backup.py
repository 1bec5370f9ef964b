"""Backups of a station: the ledger, the code key and the settings in one file encrypted with a passphrase.

Losing `code.key` loses every code ever issued (none can be checked again), and the ledger holds the station's
whole history, so both go into one file that is safe to keep elsewhere:

- the ledger is copied with SQLite's online backup, a consistent picture even while the station prints;
- the file is a tar of ledger, key, settings and a manifest (station, time, key fingerprint, events, chain head),
  encrypted in 1 MiB chunks with AES-256-GCM under a key derived from the passphrase by scrypt; each chunk's nonce
  holds its number and whether it is the last, so a chunk cut, swapped or appended is refused;
- a restore decrypts into a new folder beside the data directory, opens the ledger with the restored key, checks
  that the key is the ledger's own and that the audit chain is intact, and only then puts the files in place (the
  ones they replace are kept beside them as ``*.before-restore``).

A PostgreSQL ledger is backed up with the database's own tools (pg_dump); `station backup` then keeps the key and
the settings, and says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from station.config import CONFIG_NAME
from station.errors import ConfigError
from station.hidden import HIDDEN_KEY_NAME
from station.home import KEY_NAME, LEDGER_NAME, Home, private_dir
from station.ledger.audit import KEPT_ANCHOR
from station.ledger.base import utc_now

MAGIC = b"TSBACKUP1\n"
CHUNK = 1 << 20
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, from its manifest."""

    station: str
    made_at: str
    key_fingerprint: str
    events: int
    head: str
    ledger: bool  # False when the ledger is PostgreSQL (backed up with its own tools)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _cipher(passphrase: str, salt: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **SCRYPT)
    return AESGCM(key)


def _chunk_nonce(prefix: bytes, number: int, last: bool) -> bytes:
    """12 bytes: 7 random per backup, the chunk's number (4 bytes) and 1 if it is the last chunk."""
    return prefix + struct.pack(">IB", number, 1 if last else 0)


def check_passphrase(passphrase: str) -> str:
    """A passphrase strong enough to protect the code key: at least 10 characters."""
    if len(passphrase) < 10:
        raise ConfigError("backup.weak_passphrase", length=10)
    return passphrase


def make_backup(home: Home, out: Path, passphrase: str) -> BackupInfo:
    """Write an encrypted backup of ``home`` to ``out`` (mode 0600; never over an existing file)."""
    check_passphrase(passphrase)
    if out.exists():
        raise ConfigError("backup.exists", path=str(out))
    ledger = home.ledger
    report = ledger.verify_audit()
    sqlite_ledger = not home.config.ledger.url
    with tempfile.TemporaryDirectory(prefix="station-backup-") as tmp:
        files: dict[str, Path] = {KEY_NAME: home.key_path}
        settings = home.path / CONFIG_NAME
        if settings.exists():
            files[CONFIG_NAME] = settings
        if (home.path / HIDDEN_KEY_NAME).exists():  # the hidden codes' key (station/hidden.py)
            files[HIDDEN_KEY_NAME] = home.path / HIDDEN_KEY_NAME
        if sqlite_ledger:
            copy = Path(tmp) / LEDGER_NAME
            source = sqlite3.connect(home.path / LEDGER_NAME)
            target = sqlite3.connect(copy)
            try:
                source.backup(target)  # SQLite's online backup: one consistent state, writers carry on
            finally:
                target.close()
                source.close()
            files[LEDGER_NAME] = copy
        info = BackupInfo(
            station=home.config.station.id,
            made_at=utc_now(),
            key_fingerprint=home.key.fingerprint,
            events=report.events,
            head=report.head,
            ledger=sqlite_ledger,
        )
        packed = io.BytesIO()
        with tarfile.open(fileobj=packed, mode="w") as tar:
            manifest = json.dumps(info.to_json(), ensure_ascii=False).encode("utf-8")
            entry = tarfile.TarInfo(MANIFEST)
            entry.size = len(manifest)
            tar.addfile(entry, io.BytesIO(manifest))
            for name, path in files.items():
                tar.add(str(path), arcname=name)
        _encrypt(packed.getvalue(), out, passphrase)
    return info


def _encrypt(data: bytes, out: Path, passphrase: str) -> None:
    salt, prefix = os.urandom(16), os.urandom(7)
    cipher = _cipher(passphrase, salt)
    part = out.with_name(out.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + salt + prefix)
            chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
            for number, chunk in enumerate(chunks):
                last = number == len(chunks) - 1
                sealed = cipher.encrypt(_chunk_nonce(prefix, number, last), chunk, MAGIC)
                fh.write(struct.pack(">I", len(sealed)) + sealed)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _decrypt(source: BinaryIO, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag

    head = source.read(len(MAGIC) + 23)
    if len(head) < len(MAGIC) + 23 or not head.startswith(MAGIC):
        raise ConfigError("backup.not_a_backup")
    salt, prefix = head[len(MAGIC) : len(MAGIC) + 16], head[len(MAGIC) + 16 :]
    cipher = _cipher(passphrase, salt)
    out = bytearray()
    number = 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) < 4:
            raise ConfigError("backup.damaged")  # the file ends before its last chunk: cut short
        (size,) = struct.unpack(">I", size_bytes)
        sealed = source.read(size)
        if len(sealed) < size:
            raise ConfigError("backup.damaged")
        last = False
        try:
            chunk = cipher.decrypt(_chunk_nonce(prefix, number, False), sealed, MAGIC)
        except InvalidTag:
            try:
                chunk = cipher.decrypt(_chunk_nonce(prefix, number, True), sealed, MAGIC)
                last = True
            except InvalidTag:
                if number == 0:
                    raise ConfigError("backup.wrong_passphrase") from None
                raise ConfigError("backup.damaged") from None
        out += chunk
        number += 1
        if last:
            if source.read(1):
                raise ConfigError("backup.damaged")  # something after the last chunk
            return bytes(out)


def read_backup(path: Path, passphrase: str) -> tuple[BackupInfo, dict[str, bytes]]:
    """The manifest and files of a backup; ConfigError for a wrong passphrase or a damaged file."""
    try:
        with open(path, "rb") as fh:
            data = _decrypt(fh, passphrase)
    except OSError as err:
        raise ConfigError("backup.unreadable", path=str(path), reason=err.strerror or str(err)) from err
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name in (MANIFEST, KEY_NAME, LEDGER_NAME, CONFIG_NAME, HIDDEN_KEY_NAME):
                extracted = tar.extractfile(member)
                if extracted is not None:
                    files[member.name] = extracted.read()
    if MANIFEST not in files or KEY_NAME not in files:
        raise ConfigError("backup.damaged")
    return BackupInfo(**json.loads(files.pop(MANIFEST))), files


def restore_backup(path: Path, passphrase: str, target: Path, replace: bool = False) -> BackupInfo:
    """Restore a backup into the data directory ``target``, after checking it; see the module's description."""
    info, files = read_backup(path, passphrase)
    if (target / KEY_NAME).exists() or (target / LEDGER_NAME).exists():
        if not replace:
            raise ConfigError("backup.target_in_use", home=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=target.parent))
    try:
        staging.chmod(0o700)
        for name, content in files.items():
            fd = os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
        if LEDGER_NAME in files:
            _check_restored(staging, info)
        private_dir(target)
        for name in files:
            current = target / name
            if current.exists():
                os.replace(current, target / (name + ".before-restore"))
            for extra in ("-wal", "-shm"):
                old = target / (name + extra)
                if name == LEDGER_NAME and old.exists():
                    os.replace(old, target / (name + extra + ".before-restore"))
            os.replace(staging / name, current)
        kept = target / KEPT_ANCHOR
        if LEDGER_NAME in files and kept.exists():
            # the head record kept beside the ledger is newer than the restored history: a deliberate restore
            # starts the record again (the old one is kept beside it)
            os.replace(kept, target / (KEPT_ANCHOR + ".before-restore"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return info


def _check_restored(folder: Path, info: BackupInfo) -> None:
    """The restored ledger opens with the restored key, is that key's ledger, and its audit chain is intact."""
    home = Home.open(folder, operator="restore")
    try:
        if home.key.fingerprint != info.key_fingerprint:
            raise ConfigError("backup.key_mismatch")
        report = home.ledger.verify_audit()  # Home.ledger refuses a key that is not the ledger's own
        if not report.ok:
            raise ConfigError("backup.chain_broken", id=report.broken_at or "-")
        if report.events < info.events:
            raise ConfigError("backup.damaged")
    finally:
        home.close()
