"""Starting a print run: the one way the command, the app and the demo set up a run.

The run's options come from the settings with the caller's choices on top; the printer and the camera are the
configured ones (or the URIs given; every configured line when there are several), the camera opened by
``station.verify.camera`` with its latency from the settings. The devices close when the run's block ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from station.config import Config
from station.errors import RegistryError, device_errors
from station.home import Home
from station.lines import PrintLines
from station.run import PrintRun, RunOptions, RunReport
from station.run_plan import LineDevices
from station.verify.camera import configured_camera


def run_options(
    config: Config,
    order_id: int,
    *,
    template: str | None = None,
    roll_size: int = 500,
    max_rejects: int = 3,
    fault_timeout_s: float | None = None,
) -> RunOptions:
    """A run of the order with the configured template, minimum grade, frame timeout and camera keep-up limit, and
    the choices given."""
    return RunOptions(
        order_id=order_id,
        template=template or config.labels.template,
        roll_size=roll_size,
        min_grade=config.verify.min_grade,
        max_consecutive_rejects=max_rejects,
        frame_timeout_s=config.verify.frame_timeout_s,
        keep_up_s=config.verify.keep_up_s,
        fault_timeout_s=fault_timeout_s,
    )


@contextmanager
def open_run(
    home: Home,
    options: RunOptions,
    *,
    printer_uri: str | None = None,
    lang: str | None = None,
    camera_uri: str | None = None,
    on_update: Callable[[RunReport, str], None] | None = None,
    resume: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[PrintRun | PrintLines]:
    """A print run on the configured printer and camera (or the URIs and language given), ready to ``execute``;
    with ``[printer] more_lines`` and no URI given, a run on every configured line (``station.lines``).

    With ``resume`` the order must have an interrupted run. An interrupt (Ctrl+C) inside the block stops the run.
    An order whose labels would point where no phone can open them is refused before anything is opened or
    printed (``station.query.reach``); ``on_warning`` is told what the run goes ahead with all the same.
    """
    from station.devices import printer_from_config
    from station.labels.template import load_template
    from station.query.reach import check_order
    from station.voids import require_open_order

    require_open_order(home.ledger, options.order_id)  # a cancelled order prints nothing more
    if resume and home.ledger.unfinished_run(options.order_id) is None:
        raise RegistryError("run.nothing_to_resume", order=options.order_id)
    warning = check_order(home, options.order_id)
    if warning is not None and on_warning is not None:
        on_warning(warning)
    config = home.config
    # the template passes its checks for this printer before anything prints; its stock's gap goes in every job
    template = load_template(options.template, home.path / "label_templates", lang or config.printer.lang)
    from station.hidden import prune_captures, require_template_fits

    require_template_fits(home, options.order_id, template)  # a hidden code on the labels exactly when ordered
    prune_captures(home, config.verify.capture_retention_h)
    lines = config.lines()
    if printer_uri is not None or camera_uri is not None or len(lines) == 1:
        with (
            device_errors(),  # a printer or camera that cannot be opened is the station's DeviceError
            printer_from_config(config, printer_uri, lang, template.gap_mm) as printer,
            configured_camera(config, camera_uri) as camera,
        ):
            run = PrintRun(home, options, printer, camera, on_update)
            try:
                yield run
            except KeyboardInterrupt:
                run.stop()
                raise
        return
    with device_errors(), ExitStack() as stack:  # every line's devices open before any prints
        devices = [
            (
                LineDevices(printer, camera),
                stack.enter_context(printer_from_config(config, printer, lang, template.gap_mm)),
                stack.enter_context(configured_camera(config, camera)),
            )
            for printer, camera in lines
        ]
        several = PrintLines(home, options, devices, on_update)
        try:
            yield several
        except KeyboardInterrupt:
            several.stop()
            raise


__all__ = ["open_run", "run_options"]
