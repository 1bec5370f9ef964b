"""A pseudo-terminal standing in for a serial device, as the printer and scanner emulators plug one in.

Both ends are raw, so bytes pass unchanged; ``link`` gives the device a stable name (as a udev symlink does), so
it can be unplugged and plugged back behind the same name.
"""

from __future__ import annotations

import os
import tty
from pathlib import Path


def plug_in(link: Path | None) -> tuple[int, int, str]:
    """Open a raw pty; (master fd, slave fd, device path). ``link``, when given, points at the device."""
    master, slave = os.openpty()
    tty.setraw(slave)
    tty.setraw(master)
    device = os.ttyname(slave)
    if link is not None:
        tmp = link.with_name(link.name + ".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(device)
        tmp.replace(link)
    return master, slave, device


def unplug(master: int, slave: int, link: Path | None) -> None:
    """Close both ends and remove the link; safe when either is already gone."""
    for fd in (master, slave):
        if fd >= 0:
            try:
                os.close(fd)
            except OSError:
                pass
    if link is not None and link.is_symlink():
        link.unlink(missing_ok=True)  # another thread may be unplugging at the same moment
