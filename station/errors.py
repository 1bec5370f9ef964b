"""The station's one error tree.

``StationError`` is the base; each area has a subclass. Every error carries a catalogue key and parameters, so
its message is shown in the clerk's language and says what to do::

    StationError
    ├── ConfigError        settings, data directory, key file
    ├── CodeError          a typed or scanned code is malformed or not genuine
    ├── RegistryError      enterprises, products, orders: unknown ids, bad fields, not allowed
    ├── LedgerError        the database itself
    │   └── TransitionError  a code lifecycle change that is not allowed
    ├── TemplateError      a label template is wrong, or a label cannot be rendered faithfully
    ├── DeviceError        printers, scanners, cameras
    ├── PrintError         a print job failed
    ├── VerifyError        a label could not be verified
    └── ClaimError         pickup and binding

The drivers have their own small tree (``drivers.errors``) whose codes are catalogue keys. Where the station calls
a driver it converts at the boundary: ``with device_errors():`` turns a driver's ``PrintFault`` into ``PrintError``
and any other driver error into ``DeviceError``, with the same key and parameters (``from_driver``).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager

from drivers.errors import DriverError, PrintFault
from station.texts import language, said, t


class StationError(Exception):
    """Base of every error the station reports to a user."""

    title = "error"

    def __init__(self, text_key: str, /, **params: object) -> None:
        self.key = text_key
        self.params = params
        super().__init__(text_key)

    @property
    def message(self) -> str:
        """The message in the current language (a ``Said``: a run that records it can say it again in another)."""
        return said(self.key, **self.params)

    def __str__(self) -> str:
        return self.message


class ConfigError(StationError):
    """Settings, the data directory or the key file are wrong."""

    title = "config"


class CodeError(StationError):
    """A code is malformed, fails its check digit or MAC, or is unknown."""

    title = "code"

    def __init__(self, text_key: str, /, *, hint: str | None = None, **params: object) -> None:
        super().__init__(text_key, **params)
        self.hint = hint

    @property
    def message(self) -> str:
        text = t(self.key, **self.params)
        sep = "；" if language() == "zh" else "; "
        return f"{text}{sep}{self.hint}" if self.hint else text


class RegistryError(StationError):
    """An enterprise, product or order request is invalid or not allowed."""

    title = "registry"


class LedgerError(StationError):
    """The ledger database cannot do what was asked."""

    title = "ledger"


class TransitionError(LedgerError):
    """A code lifecycle change that the transition table does not allow."""

    title = "transition"


class TemplateError(StationError):
    """A label template is invalid, or a label cannot be rendered exactly as the template says."""

    title = "template"


class DeviceError(StationError):
    """A printer, scanner or camera is missing or misbehaving."""

    title = "device"


class PrintError(StationError):
    """A print job did not complete."""

    title = "print"


class VerifyError(StationError):
    """A label could not be verified."""

    title = "verify"


class ClaimError(StationError):
    """A pickup or binding request is refused."""

    title = "claim"


# what the operating system says of a device or a connection, as the catalogue says it (key ``os.<ERRNO name>``)
OS_REASONS = (
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ETIMEDOUT,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.ENOENT,
    errno.EACCES,
    errno.EPERM,
    errno.EBUSY,
    errno.ENODEV,
    errno.ENXIO,
    errno.EPIPE,
    errno.EIO,
    errno.ENOSPC,
    errno.EROFS,
    errno.EISDIR,
)


def system_reason(reason: object, cause: BaseException | None = None) -> str:
    """The operating system's words for a failure (``Connection refused``, or an OSError ``cause``) in the clerk's
    language; any other reason as it is."""
    text = str(reason)
    number = cause.errno if isinstance(cause, OSError) and text in (cause.strerror, str(cause)) else None
    if number not in OS_REASONS:
        if text == "timed out":  # what a socket's timeout says, with no errno
            number = errno.ETIMEDOUT
        else:
            number = next((n for n in OS_REASONS if text in (os.strerror(n), f"[Errno {n}] {os.strerror(n)}")), None)
    return text if number is None else said(f"os.{errno.errorcode[number]}")


def from_driver(err: DriverError) -> DeviceError | PrintError:
    """The station's error for a driver's: the same catalogue key and parameters (the operating system's reason in
    the clerk's language), and the driver's title."""
    kind = PrintError if isinstance(err, PrintFault) else DeviceError
    params = dict(err.params)
    if "reason" in params:
        params["reason"] = system_reason(params["reason"], err.__cause__)
    error = kind(err.code, **params)
    error.title = err.title  # a camera's error is titled "camera", as the driver names it
    return error


@contextmanager
def device_errors() -> Iterator[None]:
    """Around calls into the drivers: a driver error raised inside comes out as the station's, ``from`` it."""
    try:
        yield
    except DriverError as err:
        raise from_driver(err) from err
