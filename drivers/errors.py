"""The drivers' own error tree; the drivers import nothing from the station.

Every error carries a stable ``code`` and its ``params``; ``str()`` gives a plain English message for people who
use the drivers on their own. The codes are the station's catalogue keys, so the station shows the same error in
its clerk's language by looking the code up (``station.errors.from_driver``)::

    DriverError          base: code, params, an English message
    ├── DeviceFault      a printer, scanner or camera is missing, misaddressed or misbehaving
    │   └── CameraError  (drivers.cameras) a camera cannot be opened or stopped delivering frames
    └── PrintFault       a print job did not complete
"""

from __future__ import annotations

# what each code says in English; params fill the braces
ENGLISH: dict[str, str] = {
    "dev.bad_uri": "device address {uri} is invalid: {reason}. Examples: {examples}",
    "dev.missing_lib": "{uri} needs {package} installed (pip install {package})",
    "dev.backend_missing": "{uri}: the {backend} backend needs {install} installed",
    "dev.not_open": "{uri} is not open: open it before writing",
    "dev.scanner_failed": "scanner problem: {reason}",
    "dev.camera_failed": "camera problem: {reason}",
    "dev.open_failed": "cannot connect to printer {uri}: {reason}",
    "dev.usb_not_found": "USB printer {uri} not found: check cable and power",
    "dev.usb_busy": "USB printer {uri} is held by the kernel printer driver (usblp): {reason}",
    "dev.usb_access": "no permission for USB printer {uri}: install the udev rules and add the user to group lp",
    "dev.no_endpoints": "USB device {uri} has no printer-class (7) interface with bulk endpoints",
    "dev.bad_lang": "unsupported printer language {lang}; supported: {allowed}",
    "print.disconnected": (
        "printing interrupted: the connection to {uri} dropped after {sent} of {total} bytes. Check the printer; "
        "which labels came out must be read from the printer"
    ),
    "print.timeout": (
        "print timed out: printer {uri} accepted no data for {seconds} s (paper out, cover open or offline?)"
    ),
    "dev.media_setting": "setting {setting} = {value} does not suit this printer; it takes {allowed}",
    "dev.calibrate_escpos": "{uri} speaks ESC/POS: receipt printers have no media calibration command",
    "dev.calibrate_continuous": "continuous stock has no labels to measure: nothing to calibrate on {uri}",
    "dev.calibrate_model": "{model} ({uri}) takes no calibration command: calibrate it from its own button",
    "print.unconfirmed": (
        "printer {uri} dropped the connection after the job; the label cannot be confirmed as printed whole. "
        "Check the printer and the labels that came out"
    ),
}


class DriverError(Exception):
    """Base of every error a driver raises: a stable code, its parameters, and an English message."""

    title = "device"

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        template = ENGLISH.get(self.code)
        if template is None:
            return " ".join([self.code, *(f"{key}={value}" for key, value in self.params.items())])
        return template.format(**self.params)


class DeviceFault(DriverError):
    """A printer, scanner or camera is missing, misaddressed or misbehaving."""


class PrintFault(DriverError):
    """A print job did not complete."""

    title = "print"


__all__ = ["ENGLISH", "DeviceFault", "DriverError", "PrintFault"]
