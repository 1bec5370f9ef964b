"""Texts of label templates, devices, camera verification and the print run."""

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    # --- label templates and rendering
    "tpl.unknown": (
        "没有名为 {name} 的标签模板；可用：{allowed}",
        "no label template named {name}; available: {allowed}",
    ),
    "tpl.unreadable": ("标签模板 {file} 无法读取：{reason}", "label template {file} cannot be read: {reason}"),
    "tpl.bad_value": (
        "标签模板 {template}，{where}：{key} 的值 {value!r} 无效，应为{allowed}",
        "label template {template}, {where}: {key} = {value!r} is invalid; expected {allowed}",
    ),
    "tpl.missing": ("标签模板 {template}，{where}：缺少 {key}", "label template {template}, {where}: {key} is missing"),
    "tpl.unknown_key": (
        "标签模板 {template}，{where}：未知设置 {key}；可用：{allowed}",
        "label template {template}, {where}: unknown setting {key}; known: {allowed}",
    ),
    "tpl.unknown_field": (
        "标签模板 {template}，{where}：未知字段 {{{field}}}；可用字段：{allowed}",
        "label template {template}, {where}: unknown field {{{field}}}; fields: {allowed}",
    ),
    "tpl.outside": (
        "标签模板 {template}，{where}：超出标签可打印区域（{box} 超出 {area}，单位 mm）",
        "label template {template}, {where}: outside the printable area ({box} beyond {area}, in mm)",
    ),
    "tpl.quiet_zone": (
        "标签模板 {template}，{where} 与二维码 {qr} 的静区重叠；二维码四周需留 4 个模块的空白",
        "label template {template}, {where} overlaps the quiet zone of QR {qr}; a QR needs 4 clear modules around it",
    ),
    "tpl.qr_too_big": (
        "标签模板 {template}，{where}：{size} 字节的内容需要 {modules} 个模块（含静区），"
        "每模块至少 3 点需 {need} 点，而框只有 {have} 点；请加大框或缩短二维码内容",
        "label template {template}, {where}: {size} bytes need {modules} modules with quiet zone, "
        "{need} dots at 3 dots per module, but the box has {have} dots; enlarge the box or shorten the payload",
    ),
    "tpl.barcode_too_big": (
        "标签模板 {template}，{where}：条码需 {need} 点宽，框只有 {have} 点",
        "label template {template}, {where}: the barcode needs {need} dots, the box has {have}",
    ),
    "tpl.barcode_bad_data": (
        "标签模板 {template}，{where}：Code 128 无法编码 {value!r}",
        "label template {template}, {where}: Code 128 cannot encode {value!r}",
    ),
    "tpl.image_missing": (
        "标签模板 {template}，{where}：图片 {path} 不存在或无法读取",
        "label template {template}, {where}: image {path} is missing or unreadable",
    ),
    "tpl.font_missing": (
        "找不到中文字体：请安装 fonts-wqy-microhei（sudo apt-get install fonts-wqy-microhei），"
        "或在设置“标签字体”中指定字体文件",
        "no Chinese font found: install fonts-wqy-microhei (sudo apt-get install fonts-wqy-microhei) "
        "or name a font file in the [labels] font setting",
    ),
    "tpl.font_bad": ("字体文件 {path} 无法使用：{reason}", "font file {path} cannot be used: {reason}"),
    "tpl.glyph_missing": (
        "标签模板 {template}，{where}：字体 {font} 缺少字符 {chars}，打印出来会是空白",
        "label template {template}, {where}: font {font} has no glyph for {chars}; it would print as a blank",
    ),
    "tpl.text_too_tall": (
        "标签模板 {template}，{where}：框高 {have} mm，放不下最小字号的一行（需 {need} mm）；"
        "请加高框或减小 min_size_mm",
        "label template {template}, {where}: the box is {have} mm high, one line at the smallest size needs {need} mm; "
        "make the box taller or min_size_mm smaller",
    ),
    "tpl.truncated": (
        "标签模板 {template}，{where}：文字过长，已缩到最小字号仍放不下，截为 {text!r}",
        "label template {template}, {where}: text too long even at the smallest size; cut to {text!r}",
    ),
    "tpl.ok": ("模板 {name} 检查通过", "template {name} is valid"),
    "tpl.rendered": ("已生成 {n} 张标签图：{paths}", "rendered {n} label image(s): {paths}"),
    "tpl.needs_code": ("请给出 --code 或 --order", "give --code or --order"),
    "tpl.at_line": ("{file} 第 {line} 行：{message}", "{file}, line {line}: {message}"),
    "tpl.refused": (
        "标签模板 {template} 未通过检查，不能打印；请改正后用 station label check 复查：\n{problems}",
        "label template {template} fails its checks and cannot print; correct it and run station label check:\n"
        "{problems}",
    ),
    "tpl.placeholder_open": (
        "标签模板 {template}，{where}：{key} 中的 {text!r} 缺少右花括号 }}；"
        "字段写作 {{字段名}}，花括号本身写作 {{{{ 或 }}}}",
        "label template {template}, {where}: {text!r} in {key} has no closing }}; write a field as {{field}}, "
        "a brace itself as {{{{ or }}}}",
    ),
    "tpl.placeholder_stray": (
        "标签模板 {template}，{where}：{key} = {text!r} 中有多余的右花括号 }}；花括号本身写作 }}}}",
        "label template {template}, {where}: {key} = {text!r} has a stray }}; a brace itself is written }}}}",
    ),
    "tpl.placeholder_bad": (
        "标签模板 {template}，{where}：{key} 中的 {text} 不是字段；只能写 {{字段名}}（如 {{product.name}}），"
        "不能取下标、加格式或留空；花括号本身写作 {{{{ 或 }}}}",
        "label template {template}, {where}: {text} in {key} is not a field; write {{field}} with a field name "
        "(e.g. {{product.name}}), no indexing, format or empty braces; a brace itself is {{{{ or }}}}",
    ),
    "tpl.placeholder_in_default": (
        "标签模板 {template}，{where}：default 会原样印出，不能含字段 {text}",
        "label template {template}, {where}: default is printed as written and cannot hold the field {text}",
    ),
    "tpl.duplicate_id": (
        "标签模板 {template}，{where}：id {id!r} 已用于 {other}（第 {other_line} 行）；每个元素的 id 须不同",
        "label template {template}, {where}: id {id!r} is already used by {other} (line {other_line}); "
        "each element needs its own id",
    ),
    "tpl.overlap": (
        "标签模板 {template}，{where} 与 {other} 重叠；只有线条和边框可相互交叠，元素可放在空心边框之内",
        "label template {template}, {where} overlaps {other}; only lines and boxes may cross each other, and "
        "elements may sit inside an outline box",
    ),
    "tpl.mandatory_missing": (
        "追溯标签模板 {template} 缺少包装标识必备项「{item_zh}」：须有一段文字使用 {fields} 之一"
        "（必备：产品名称、产地编码、生产日期、保质期、生产者、产品认证）",
        'trace label template {template} lacks the required package-label item "{item_en}": a text must use one of '
        "{fields} (required: product name, origin, production date, shelf life, producer, certification)",
    ),
    "tpl.gap_unprintable": (
        "标签模板 {template}：gap_mm = {gap} 打印机（{lang}）做不到；标签间隙须为 {low} 到 {high} mm，"
        "连续纸写 0，不写则用设置“标签间隙（mm）”",
        "label template {template}: gap_mm = {gap} is beyond the printer ({lang}); a gap between labels must be "
        "{low} to {high} mm, 0 for continuous media, or left out to use the [printer] gap_mm setting",
    ),
    # --- devices
    "dev.bad_uri.no_host": (
        "设备地址 {uri} 无效：没有写主机。示例：{examples}",
        "device address {uri} is invalid: no host. Examples: {examples}",
    ),
    "dev.bad_uri.bad_port": (
        "设备地址 {uri} 无效：端口号不对。示例：{examples}",
        "device address {uri} is invalid: bad port. Examples: {examples}",
    ),
    "dev.bad_uri.no_port": (
        "设备地址 {uri} 无效：没有写串口。示例：{examples}",
        "device address {uri} is invalid: no port. Examples: {examples}",
    ),
    "dev.bad_uri.unknown_option": (
        "设备地址 {uri} 无效：不认识的选项 {key}。示例：{examples}",
        "device address {uri} is invalid: unknown option {key}. Examples: {examples}",
    ),
    "dev.bad_uri.bad_option": (
        "设备地址 {uri} 无效：{key}={value} 不对。示例：{examples}",
        "device address {uri} is invalid: {key}={value}. Examples: {examples}",
    ),
    "dev.bad_uri.usb_ids": (
        "设备地址 {uri} 无效：应写成 usb://厂商号:产品号（十六进制）。示例：{examples}",
        "device address {uri} is invalid: expected usb://VID:PID in hex. Examples: {examples}",
    ),
    "dev.bad_uri.usb_bus": (
        "设备地址 {uri} 无效：没有名为 {bus} 的 USB 总线（已有：{known}）。示例：{examples}",
        "device address {uri} is invalid: no USB bus '{bus}' (known: {known}). Examples: {examples}",
    ),
    "dev.bad_uri.not_absolute": (
        "设备地址 {uri} 无效：应写绝对路径。示例：{examples}",
        "device address {uri} is invalid: expected an absolute path. Examples: {examples}",
    ),
    "dev.bad_uri.unknown_scheme": (
        "设备地址 {uri} 无效：不认识的地址开头。示例：{examples}",
        "device address {uri} is invalid: unknown scheme. Examples: {examples}",
    ),
    "dev.missing_lib": (
        "使用 {uri} 需要安装 {package}（pip install {package}）",
        "{uri} needs {package} installed (pip install {package})",
    ),
    "dev.backend_missing": (
        "{uri}：{backend} 接口需要先安装 {install}",
        "{uri}: the {backend} backend needs {install} installed",
    ),
    "dev.not_open": ("{uri} 未连接：请先打开再发送", "{uri} is not open: open it before writing"),
    # a camera's failures, one key for each kind drivers.cameras raises
    "dev.camera.closing": (
        "摄像头故障：{uri} 还在关闭，请稍后再试",
        "camera problem: {uri} is still closing; try again",
    ),
    "dev.camera.failed": ("摄像头故障：{uri} 出错：{reason}", "camera problem: {uri} failed: {reason}"),
    "dev.camera.not_open": ("摄像头故障：{uri} 没有打开", "camera problem: {uri} is not open"),
    "dev.camera.stalled": (
        "摄像头故障：{uri} 在 {seconds} 秒内没有新画面，摄像头卡住或已断开",
        "camera problem: no new frame from {uri} within {seconds} s: camera stalled or disconnected",
    ),
    "dev.camera.no_opencv": (
        "摄像头故障：没有安装 OpenCV（pip install opencv-python-headless）",
        "camera problem: OpenCV is not installed (pip install opencv-python-headless)",
    ),
    "dev.camera.open_device": (
        "摄像头故障：打不开 {uri}：请检查摄像头已插好、设备存在，且本用户有使用摄像头的权限（属于系统的视频设备组）",
        "camera problem: cannot open {uri}: check that the camera is plugged in, that the device exists, "
        "and that this user is in group video",
    ),
    "dev.camera.open_stream": (
        "摄像头故障：打不开 {uri}：请检查地址、摄像头或视频服务是否开着且连得上，以及用户名和密码",
        "camera problem: cannot open {uri}: check the address, that the camera or stream server is running and "
        "reachable, and any credentials",
    ),
    "dev.camera.open_file": (
        "摄像头故障：打不开 {uri}：请检查 {path} 是否存在",
        "camera problem: cannot open {uri}: check that {path} exists",
    ),
    "dev.camera.open_sequence": (
        "摄像头故障：打不开 {uri}：请检查 {path} 是否存在（frame_%04d.png 这样的编号从 0 或 1 开始）",
        "camera problem: cannot open {uri}: check that {path} exists (a pattern such as frame_%04d.png counts "
        "from 0 or 1)",
    ),
    "dev.camera.not_folder": (
        "摄像头故障：打不开 {uri}：{path} 不是文件夹，请检查路径",
        "camera problem: cannot open {uri}: {path} is not a folder; check the path",
    ),
    "dev.camera.bad_device": (
        "摄像头故障：打不开 {uri}：应写成 /dev/videoN 或 video://N",
        "camera problem: cannot open {uri}: expected /dev/videoN or video://N",
    ),
    "dev.camera.bad_path": (
        "摄像头故障：打不开 {uri}：应写绝对路径，例如 {example}",
        "camera problem: cannot open {uri}: expected an absolute path, e.g. {example}",
    ),
    "dev.camera.unknown": (
        "摄像头故障：不认识的摄像头地址 {uri}；可用的开头：{prefixes}",
        "camera problem: unknown camera address {uri}: use one of {prefixes}",
    ),
    # a scanner's failures, one key for each kind drivers.scanners raises
    "dev.scanner.not_open": ("扫码枪故障：{uri} 没有打开", "scanner problem: {uri} is not open"),
    "dev.scanner.missing_lib": (
        "扫码枪故障：使用 {uri} 需要安装 {package}（pip install {package}）",
        "scanner problem: {uri} needs {package} installed (pip install {package})",
    ),
    "dev.scanner.open_failed": (
        "扫码枪故障：打不开 {target}：{reason}",
        "scanner problem: cannot open {target}: {reason}",
    ),
    "dev.scanner.no_permission": (
        "扫码枪故障：没有权限读取 {path}：请把本用户加入系统的输入设备组",
        "scanner problem: no permission to read {path}: add this user to the system's input device group",
    ),
    "dev.scanner.grab_failed": (
        "扫码枪故障：无法独占 {path}（被别的程序占用？）：{reason}",
        "scanner problem: cannot grab {path} (another program holds it?): {reason}",
    ),
    "dev.scanner.closed": ("扫码枪故障：{uri} 已被关闭", "scanner problem: {uri} was closed"),
    "dev.scanner.lost": ("扫码枪故障：{uri} 断开了：{reason}", "scanner problem: {uri} went away: {reason}"),
    "dev.scanner.no_path": (
        "扫码枪故障：{uri} 没有写设备路径。示例：{examples}",
        "scanner problem: {uri}: no device path. Examples: {examples}",
    ),
    "dev.scanner.not_number": (
        "扫码枪故障：{uri}：{key}={value} 不是数字",
        "scanner problem: {uri}: {key}={value} is not a number",
    ),
    "dev.scanner.bad_suffix": (
        "扫码枪故障：{uri}：结尾符 suffix 只能是 none、CR、LF、CRLF、TAB 之一（不是 {value}）",
        "scanner problem: {uri}: suffix must be one of none, CR, LF, CRLF, TAB (not {value})",
    ),
    "dev.scanner.bad_framing": (
        "扫码枪故障：{uri}：framing 只能是 stx（不是 {value}）",
        "scanner problem: {uri}: framing must be stx (not {value})",
    ),
    "dev.scanner.stx_suffix": (
        "扫码枪故障：{uri}：framing=stx 以 ETX 结束每次扫码，请去掉 suffix",
        "scanner problem: {uri}: framing=stx ends each scan at ETX; leave out suffix",
    ),
    "dev.scanner.bad_evdev_path": (
        "扫码枪故障：{uri}：应写绝对路径，例如 evdev:///dev/input/by-id/…-event-kbd",
        "scanner problem: {uri}: expected an absolute path such as evdev:///dev/input/by-id/…-event-kbd",
    ),
    "dev.scanner.bad_layout": (
        "扫码枪故障：{uri}：键盘布局 layout 只能是 {layouts} 之一（不是 {value}）",
        "scanner problem: {uri}: layout must be one of {layouts} (not {value})",
    ),
    "dev.scanner.unknown_option": (
        "扫码枪故障：{uri}：不认识的选项 {key}。示例：{examples}",
        "scanner problem: {uri}: unknown option {key}. Examples: {examples}",
    ),
    "dev.scanner.unknown": (
        "扫码枪故障：不认识的扫码枪地址 {uri}。示例：{examples}",
        "scanner problem: unknown kind of scanner address {uri}. Examples: {examples}",
    ),
    "dev.open_failed": ("无法连接打印机 {uri}：{reason}", "cannot connect to printer {uri}: {reason}"),
    "dev.usb_not_found": (
        "找不到 USB 打印机 {uri}：请检查数据线和电源，或用 `station devices` 查看",
        "USB printer {uri} not found: check cable and power, or list devices with `station devices`",
    ),
    "dev.usb_busy": (
        "USB 打印机 {uri} 被系统打印驱动(usblp)占用：{reason}",
        "USB printer {uri} is held by the kernel printer driver (usblp): {reason}",
    ),
    "dev.usb_access": (
        "没有权限访问 USB 打印机 {uri}：请安装 udev/60-trace-station.rules 并把用户加入 lp 组",
        "no permission for USB printer {uri}: install udev/60-trace-station.rules and add the user to group lp",
    ),
    "dev.no_endpoints": (
        "USB 设备 {uri} 没有打印机接口（类 7）的收发端点",
        "USB device {uri} has no printer-class (7) interface with bulk endpoints",
    ),
    "dev.bad_lang": (
        "不支持的打印语言 {lang}；可用：{allowed}",
        "unsupported printer language {lang}; supported: {allowed}",
    ),
    "print.disconnected": (
        "打印中断：与打印机 {uri} 的连接断开（已发送 {sent}/{total} 字节）。请检查打印机，已打出的标签以打印机输出为准",
        "printing interrupted: the connection to {uri} dropped after {sent} of {total} bytes. Check the printer; "
        "which labels came out must be read from the printer",
    ),
    "print.timeout": (
        "打印超时：打印机 {uri} 在 {seconds} 秒内没有接收数据（缺纸、开盖或脱机？）",
        "print timed out: printer {uri} accepted no data for {seconds} s (paper out, cover open or offline?)",
    ),
    "print.unconfirmed": (
        "打印机 {uri} 在接收标签后断开，无法确认标签完整打出；请检查打印机和已出的标签",
        "printer {uri} dropped the connection after the job; the label cannot be confirmed as printed whole. "
        "Check the printer and the labels that came out",
    ),
    "print.not_ready": ("打印机未就绪：{state}（{detail}）", "printer not ready: {state} ({detail})"),
    "dev.configured": ("已配置的打印机", "configured printer"),
    "dev.printer_busy": (
        "打印机正在打印（打印任务进行中），稍后再试",
        "the printer is busy with a print run; try again later",
    ),
    "dev.camera_in_run": ("摄像头正在打印任务中验印", "the camera is checking labels for a print run"),
    "dev.scanner_none": ("没有配置扫码枪（设置“扫码枪地址”）", "no scanner configured (setting pickup.scanner)"),
    "dev.scanner_ok": ("扫码枪已连接：{uri}", "scanner connected: {uri}"),
    "dev.scanner_down": ("扫码枪未连接：{reason}", "scanner not connected: {reason}"),
    "dev.camera_live": (
        "摄像头正常：{uri}，{width}×{height}，{fps} 帧/秒",
        "camera live: {uri}, {width}×{height}, {fps} fps",
    ),
    "dev.camera_down": ("摄像头没有画面：{reason}", "camera shows nothing: {reason}"),
    "dev.scan_now": ("请在 {seconds} 秒内用扫码枪扫任意条码…", "scan any barcode within {seconds} s…"),
    "dev.scan_none": ("{seconds} 秒内没有收到扫码", "no scan within {seconds} s"),
    "dev.scan_got": ("收到扫码：{text}（{symbology}，{n} 字节）", "scanned: {text} ({symbology}, {n} bytes)"),
    "dev.scan_roll": ("这是一卷标签的卷头", "this is a roll header"),
    "dev.scan_code": ("这是本站发出的码：{state}", "this is a code of this station: {state}"),
    "dev.scan_foreign": ("这不是本站的卷头或码", "this is neither a roll header nor a code of this station"),
    "dev.camera_view_off": ("实时画面已关闭（c 再打开）", "live view off (c opens it again)"),
    "dev.camera_view_hint": (
        "按 c 看摄像头实时画面，按 s 测试扫码枪",
        "c shows the camera's live picture, s tests the scanner",
    ),
    "dev.kind.printers": ("USB 打印机", "USB printers"),
    "dev.kind.scanners": ("USB 扫码枪", "USB scanners"),
    "dev.kind.serial_ports": ("串口", "serial ports"),
    "dev.kind.cameras": ("摄像头", "cameras"),
    "dev.before": ("打印前状态", "status before"),
    "dev.after": ("打印后状态", "status after"),
    "dev.sent": ("已发送 {n} 字节，用时 {ms} 毫秒", "sent {n} bytes in {ms} ms"),
    "dev.band_hint": (
        "请查看测试标签上的黑色横条：其中的白色竖线表示打印头加热点损坏，按下方刻度读出点号",
        "look at the black band on the test label: a white streak in it is a dead heating element; "
        "read its dot number on the ruler below",
    ),
    "pstate.online": ("正常", "online"),
    "pstate.paper_out": ("缺纸", "paper out"),
    "pstate.cover_open": ("开盖", "cover open"),
    "pstate.offline": ("脱机", "offline"),
    "pstate.error": ("故障", "error"),
    "pstate.unknown": ("未知（无应答）", "unknown (no answer)"),
    "pstate.with_detail": ("{state} · {detail}", "{state} · {detail}"),
    "pdetail.not_connected_why": ("未连接：{reason}", "not connected: {reason}"),
    "pdetail.not_connected": ("未连接", "not connected"),
    "pdetail.connection_lost": ("连接中断：{reason}", "connection lost: {reason}"),
    "pdetail.no_back_channel": ("这种连接收不到打印机的状态应答", "this connection cannot carry status replies"),
    "pdetail.no_reply": ("状态查询 {query} 没有应答", "no reply to {query}"),
    "pdetail.malformed": ("状态查询 {query} 的应答格式不对 {raw}", "malformed reply to {query} {raw}"),
    "pdetail.head_open": ("打印头（上盖）打开", "print head (cover) open"),
    "pdetail.paper_out": ("纸已用完", "paper out"),
    "pdetail.paper_low": ("纸快用完", "paper low"),
    "pdetail.paper_jam": ("卡纸", "paper jam"),
    "pdetail.ribbon_out": ("碳带用完", "ribbon out"),
    "pdetail.paused": ("已暂停", "paused"),
    "pdetail.printing": ("正在打印", "printing"),
    "pdetail.offline": ("脱机", "offline"),
    "pdetail.error": ("打印机报告故障", "the printer reports an error"),
    "pdetail.error_flags": ("打印机报告故障（标志 {flags}）", "the printer reports an error (flags {flags})"),
    "emu.ready": (
        "虚拟打印机（{lang}）已就绪：{uri}，标签图片写入 {out}；按 Ctrl-C 停止",
        "virtual printer ({lang}) ready at {uri}; label images go to {out}; Ctrl-C stops it",
    ),
    "emu.printed": ("已打印第 {n} 张：{path}", "printed label {n}: {path}"),
    "emu.speed": (
        "打印速度 {speed} 毫米/秒：标签走完（含间隙）才出现在输出文件夹",
        "print speed {speed} mm/s: a label appears in the output folder once it is fully out (gap included)",
    ),
    "emu.instant": ("打印速度：不计时间（标签立即出现）", "print speed: instant (labels appear at once)"),
    "emu.camera_ready": (
        "虚拟摄像头已就绪：{url}，拍摄 {folder} 中最新的标签；按 Ctrl-C 停止",
        "virtual camera ready at {url}, filming the newest label in {folder}; Ctrl-C stops it",
    ),
    "emu.scanner_ready": ("虚拟扫码枪已就绪：{uri}；按 Ctrl-C 停止", "virtual scanner ready at {uri}; Ctrl-C stops it"),
    "emu.stopped": ("虚拟打印机已停止，共打印 {n} 张", "virtual printer stopped after {n} labels"),
    "emu.listen_failed": ("无法在 {uri} 监听：{reason}", "cannot listen on {uri}: {reason}"),
    "emu.not_rendered": ("未识别或未打印的命令：{what}", "command not understood or not printed: {what}"),
    "emu.not_rendered_total": (
        "共有 {n} 条命令未识别或未打印（见上）",
        "{n} commands were not understood or not printed (listed above)",
    ),
    # --- verification
    "verify.pass": ("合格", "PASS"),
    "verify.fail": ("不合格", "FAIL"),
    "verify.unreadable": ("无法读取图片 {path}", "cannot read image {path}"),
    "verify.one_source": (
        "请给出一张图片（IMAGE --expect …）或 --manifest 清单，二者选一",
        "give one IMAGE (with --expect) or --manifest, not both",
    ),
    "verify.need_expect": (
        "请用 --expect 给出标签应有的二维码内容",
        "give the payload the label must carry with --expect",
    ),
    "verify.template_and_code": ("--template 和 --code 需一起给出", "--template and --code go together"),
    "verify.manifest_unreadable": ("无法读取清单 {path}", "cannot read the manifest {path}"),
    "verify.bad_row": ("清单 {file} 第 {n} 行应为“图片,内容”", "row {n} of {file} must be image,payload"),
    "verify.no_frame": (
        "摄像头 {uri} 在 {seconds} 秒内没有新画面：标签未验证。请检查摄像头连接和光线",
        "no new frame from camera {uri} within {seconds} s: the label is not verified. "
        "Check the camera's cable and light",
    ),
    # --- the print run
    "run.nothing_to_resume": ("发码单 {order} 没有中断的打印任务", "order {order} has no interrupted run to resume"),
    "run.rejected": (
        "不合格：卷 {roll} 第 {position} 张 {code} — {reason}（该码已作废，将补打新码）",
        "rejected: roll {roll} label {position} {code} — {reason} (code voided; a new code replaces it)",
    ),
    "run.waiting": (
        "暂停：{reason}；故障排除后自动继续（Ctrl-C 停止）",
        "paused: {reason}; continues by itself once cleared (Ctrl-C stops)",
    ),
    "run.paused": (
        "已停线：{reason}。处理后运行 station run --order … --resume 继续",
        "line stopped: {reason}. Fix it, then continue with station run --order … --resume",
    ),
    "run.resumed": ("继续打印", "resumed"),
    "run.progress": (
        "已验印 {verified}/{target}，不合格 {rejected}，{rate} 张/分钟，预计还需 {eta} 秒",
        "verified {verified}/{target}, rejected {rejected}, {rate} labels/min, about {eta} s left",
    ),
    "run.summary": (
        "任务{status}：验印合格 {verified}/{target}，作废 {rejected}，用时 {seconds} 秒，{rate} 张/分钟",
        "run {status}: {verified}/{target} verified, {rejected} voided, {seconds} s, {rate} labels/min",
    ),
    "run.remove": (
        "请从卷 {roll} 第 {position} 张撕下作废标签 {code}",
        "remove voided label {code}: roll {roll}, label {position}",
    ),
    "run.in_flight_void": ("打印任务中断时正在打印", "in flight when the run was interrupted"),
    "run.print_interrupted": ("打印中断：{reason}", "print interrupted: {reason}"),
    "run.printer_fault": ("打印机：{reason}", "printer: {reason}"),
    "run.camera_fault": ("摄像头：{reason}", "camera: {reason}"),
    "run.camera_frozen": ("摄像头画面停在上一张（卡住）", "camera shows an old picture (frozen)"),
    "run.camera_late": (
        "等摄像头拍到刚打印的标签（画面跟不上），暂不打印下一张",
        "waiting for the camera to show the label just printed (frames are behind); the next label waits",
    ),
    "run.nothing_new": (
        "{seconds} 秒内摄像头画面没有出现新标签（读不到码）（该码未作废）。"
        "检查打印机是否出纸、标签是否空白，以及摄像头",
        "no new label in the camera's picture within {seconds} s, and no code read (its code is not voided). "
        "Check that the printer feeds and prints, and the camera",
    ),
    "run.camera_behind": (
        "摄像头跟不上：{seconds} 秒内没拍到刚打印的标签（该码未作废）。检查摄像头和电脑负载后继续",
        "camera not keeping up: no picture of the label just printed within {seconds} s (its code is not voided). "
        "Check the camera and the computer's load, then resume",
    ),
    "run.dead_dot": ("打印头：第 {dot} 点不出墨（断针）", "print head: dead element at dot {dot}"),
    "run.in_a_row": ("连续 {n} 张不合格：{reason}", "{n} labels in a row failed: {reason}"),
    "why.no_code": ("读不到码", "no code read"),
    "why.wrong_code": ("码不对：读到 {payload}", "wrong code: read {payload}"),
    "why.low_grade": (
        "等级 {grade}（{letter}）低于 {min}：{parameter}",
        "grade {grade} ({letter}) below {min}: {parameter}",
    ),
    "why.join": ("；", ", "),
    "why.defect_at": ("{defect} {place}", "{defect} {place}"),
    "why.at_dot": ("第 {dot} 点", "at dot {dot}"),
    "why.at_box": ("位置 ({x}, {y}) 大小 {w}×{h} 点", "at ({x}, {y}), {w}×{h} dots"),
    "why.at_module": ("第 {row} 行第 {column} 列模块", "at module row {row}, column {column}"),
    "defect.dead_element": ("断针", "dead element"),
    "defect.void": ("缺墨", "void"),
    "defect.smear": ("污点", "smear"),
    "defect.code_text": ("数字码印坏", "damaged human-readable code"),
    "defect.code_glyph": ("字符印错", "wrong printed character"),
    "defect.faint": ("印色太淡", "faint print"),
    "defect.qr_modules": ("二维码模块错误", "wrong QR modules"),
    "defect.qr_symbol": (
        "二维码不是所印的那个（纠错等级、版本或掩模不同）",
        "not the QR symbol printed (error level, version or mask)",
    ),
    "defect.extra_symbol": ("画面里还有别的码", "another symbol in the frame"),
    "defect.duplicate_symbol": ("同一个码出现两次", "the same code twice in the frame"),
    "why.at_char": ("第 {line} 行第 {position} 个字符", "line {line}, character {position}"),
    "why.in_frame": ("画面位置 ({x}, {y}) 大小 {w}×{h} 像素", "in the frame at ({x}, {y}), {w}×{h} pixels"),
    "run.status.done": ("完成", "done"),
    "run.status.paused": ("暂停", "paused"),
    "run.status.stopped": ("已停止", "stopped"),
    "run.status.running": ("进行中", "running"),
    "run.status.waiting": ("等待", "waiting"),
    "run.progress_rolls": (
        "第 {roll}/{rolls} 卷 · 已验印 {verified}/{target} · 不合格 {rejected} · 本次 {rate} 张/分钟 · 预计还需 {left}",
        "roll {roll} of {rolls} · verified {verified}/{target} · rejected {rejected} · {rate} labels/min this run · "
        "{left} left",
    ),
    "run.left_unknown": ("估算中", "estimating"),
    "run.roll_ready": (
        "卷 {roll} 已打完并验印合格，可以领取（本次已打完 {rolls} 卷）",
        "roll {roll} is complete and verified: it can be handed over ({rolls} rolls completed in this run)",
    ),
    "dev.media_setting": (
        "设置 {setting} = {value} 不适合这台打印机；可用：{allowed}",
        "setting {setting} = {value} does not suit this printer; it takes {allowed}",
    ),
    "dev.calibrate_escpos": (
        "{uri} 使用 ESC/POS：小票打印机没有纸张校准命令，无需校准",
        "{uri} speaks ESC/POS: receipt printers have no media calibration command, nothing to calibrate",
    ),
    "dev.calibrate_continuous": (
        "连续纸没有标签可测量：{uri} 无需校准（把“标签纸类型”设为间隙纸或黑标纸后再校准）",
        "continuous stock has no labels to measure: nothing to calibrate on {uri} (set printer.media to gap or mark)",
    ),
    "dev.calibrate_model": (
        "{model}（{uri}）不接受校准命令：请用打印机上的按键校准",
        "{model} ({uri}) takes no calibration command: calibrate it from its own button",
    ),
    "dev.calibrated": (
        "校准完成（{command}）：测得标签长度 {mm} 毫米（{dots} 点）",
        "calibrated ({command}): measured label length {mm} mm ({dots} dots)",
    ),
    "dev.calibrated_no_length": (
        "已发送校准命令（{command}），但打印机没有报告测得的长度；请看打印机的指示灯或打印自检页",
        "calibration sent ({command}), but the printer reported no length; check its lights or print a self-test",
    ),
    "dev.model": ("型号 {name}", "model {name}"),
    "dev.models": ("打印机型号（{n} 种）", "printer models ({n})"),
    "dev.model_files_broken": ("无法读取的型号文件：{reason}", "model file not readable: {reason}"),
    "dev.model_usb": ("USB {ids}", "usb {ids}"),
    "emu.media": (
        "纸卷：{kind}，标签长 {label} 毫米，间隙/黑标 {gap} 毫米",
        "roll: {kind}, labels {label} mm long, gap/mark {gap} mm",
    ),
    "dev.line": (
        "第 {line} 号线：{printer}，摄像头 {camera} — {status}",
        "line {line}: {printer}, camera {camera} — {status}",
    ),
    "run.line_state": ("{state}：{reason}", "{state}: {reason}"),
    "run.line_reason": ("第 {line} 号线：{reason}", "line {line}: {reason}"),
    "run.line": (
        "第 {line} 号线 {printer}：第 {roll} 卷 · 本次验印 {verified} · 不合格 {rejected} · {rate} 张/分钟 · {state}",
        "line {line} {printer}: roll {roll} · verified {verified} this run · rejected {rejected} · {rate} labels/min "
        "· {state}",
    ),
    "run.lines": (
        "{lines} 条打印线路同时印制，每卷只在一台打印机上印完",
        "{lines} print lines at once, each roll whole on one printer",
    ),
}
