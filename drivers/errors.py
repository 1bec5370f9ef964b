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
    # printers' addresses (drivers.printers.transports)
    "dev.bad_uri.no_host": "device address {uri} is invalid: no host. Examples: {examples}",
    "dev.bad_uri.bad_port": "device address {uri} is invalid: bad port. Examples: {examples}",
    "dev.bad_uri.no_port": "device address {uri} is invalid: no port. Examples: {examples}",
    "dev.bad_uri.unknown_option": "device address {uri} is invalid: unknown option {key}. Examples: {examples}",
    "dev.bad_uri.bad_option": "device address {uri} is invalid: {key}={value}. Examples: {examples}",
    "dev.bad_uri.usb_ids": "device address {uri} is invalid: expected usb://VID:PID in hex. Examples: {examples}",
    "dev.bad_uri.usb_bus": "device address {uri} is invalid: no USB bus '{bus}' (known: {known}). Examples: {examples}",
    "dev.bad_uri.not_absolute": "device address {uri} is invalid: expected an absolute path. Examples: {examples}",
    "dev.bad_uri.unknown_scheme": "device address {uri} is invalid: unknown scheme. Examples: {examples}",
    "dev.missing_lib": "{uri} needs {package} installed (pip install {package})",
    "dev.backend_missing": "{uri}: the {backend} backend needs {install} installed",
    "dev.not_open": "{uri} is not open: open it before writing",
    # cameras (drivers.cameras)
    "dev.camera.closing": "camera {uri} is still closing; try again",
    "dev.camera.failed": "camera {uri} failed: {reason}",
    "dev.camera.not_open": "camera {uri} is not open",
    "dev.camera.stalled": "no new frame from {uri} within {seconds} s: camera stalled or disconnected",
    "dev.camera.no_opencv": "OpenCV is not installed: pip install opencv-python-headless",
    "dev.camera.open_device": (
        "cannot open camera {uri}: check that the camera is plugged in, that the device exists, "
        "and that this user is in group 'video'"
    ),
    "dev.camera.open_stream": (
        "cannot open camera {uri}: check the address, that the camera or stream server is running and reachable, "
        "and any credentials"
    ),
    "dev.camera.open_file": "cannot open camera {uri}: check that {path} exists",
    "dev.camera.open_sequence": (
        "cannot open camera {uri}: check that {path} exists (a pattern such as frame_%04d.png counts from 0 or 1)"
    ),
    "dev.camera.not_folder": "cannot open camera {uri}: {path} is not a folder; check the path",
    "dev.camera.bad_device": "cannot open camera {uri}: expected /dev/videoN or video://N",
    "dev.camera.bad_path": "cannot open camera {uri}: expected an absolute path, e.g. {example}",
    "dev.camera.unknown": "unknown camera URI {uri}: use one of {prefixes}",
    # scanners (drivers.scanners)
    "dev.scanner.not_open": "scanner {uri} is not open",
    "dev.scanner.missing_lib": "{uri} needs {package}: install it with `pip install {package}`",
    "dev.scanner.open_failed": "cannot open {target}: {reason}",
    "dev.scanner.no_permission": (
        "no permission to read {path}: add this user to group 'input' or install the udev rules"
    ),
    "dev.scanner.grab_failed": "cannot grab {path} (another program holds it?): {reason}",
    "dev.scanner.closed": "scanner {uri} was closed",
    "dev.scanner.lost": "scanner {uri} went away: {reason}",
    "dev.scanner.no_path": "{uri}: no device path. Examples: {examples}",
    "dev.scanner.not_number": "{uri}: {key}={value} is not a number",
    "dev.scanner.bad_suffix": "{uri}: suffix must be one of none, CR, LF, CRLF, TAB (not '{value}')",
    "dev.scanner.bad_framing": "{uri}: framing must be stx (not '{value}')",
    "dev.scanner.stx_suffix": "{uri}: framing=stx ends each scan at ETX; leave out suffix",
    "dev.scanner.bad_evdev_path": "{uri}: expected an absolute path such as evdev:///dev/input/by-id/…-event-kbd",
    "dev.scanner.bad_layout": "{uri}: layout must be one of {layouts} (not '{value}')",
    "dev.scanner.unknown_option": "{uri}: unknown option {key}. Examples: {examples}",
    "dev.scanner.unknown": "{uri}: unknown kind of scanner address. Examples: {examples}",
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
