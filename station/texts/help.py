"""What `station … --help` says of each command and option, in Chinese, beside the English the commands' code
holds (the English is given as the code gives it, so a change to one without the other shows).

Keys, as station.cli.usage.help_key makes them from the names typed after ``station``:

- ``help.<command path>``: a command's description, the path's names joined by dots (``help.enterprise.add``);
  ``help.station`` is ``station`` itself;
- ``help.<command path>.short``: the line its group lists it by (the description's first sentence in English);
- ``help.<command path>.<option>``: an option's help, by its longest name (``help.run.--roll-size``);
- ``help.*.<option>``: the help of every option of that name whose English is this entry's (``help.*.--json``);
  a command's own key, where it has one, comes first.

Settings are named as the app names them, with the key `station settings set` takes (printer.uri); option names,
addresses, units and codes are written as they are typed.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "help.station": (
        "牟定县农产品追溯防伪工作站：发码、打印、验印、把追溯码交给企业。",
        "Trace Station: issue, print, verify and hand out traceability codes (牟定县农产品追溯防伪).",
    ),
    "help.station.--config": (
        "设置文件。默认：数据目录中的 station.toml。",
        "Settings file. Default: station.toml in the data directory.",
    ),
    "help.station.--home": (
        "数据目录（台账、密钥、拍下的画面）。默认：$STATION_HOME，否则 ~/.local/share/trace-station。",
        "Data directory (ledger, key, captures). Default: $STATION_HOME or ~/.local/share/trace-station.",
    ),
    "help.station.--lang": ("提示信息的语言（zh 中文，en 英文）。", "Language of messages."),
    "help.station.--operator": ("记入台账事件的操作员姓名。", "Operator name recorded in ledger events."),
    "help.station.--version": ("显示版本号后退出。", "Show the version and exit."),
    "help.*.--annotate": (
        "把画面存成文件，标出码的位置、错误的模块和缺陷。",
        "Write the frame with the symbol, wrong modules and defects marked.",
    ),
    "help.*.--camera": (
        "摄像头地址（默认：设置“验印摄像头地址”verify.camera）。",
        "Camera URI (default: [verify] camera).",
    ),
    "help.*.--code": (
        "与 --template 同用：该标签打印时对应的码。",
        "With --template: the code the label was printed for.",
    ),
    "help.*.--contact": ("联系人及电话。", "Contact person and phone."),
    "help.*.--credit-code": ("18 位统一社会信用代码。", "18-character unified social credit code."),
    "help.*.--expect": ("标签上应有的二维码内容。", "The payload the label must carry."),
    "help.*.--format": ("导出的文件格式。", "Output format."),
    "help.*.--json": ("输出一个 JSON 对象（供脚本读取）。", "Print one JSON object."),
    "help.*.--lang": (
        "打印机指令集（默认：设置“打印机指令集”printer.lang）。",
        "Printer language (default: [printer] lang).",
    ),
    "help.*.--lot": ("批次编号（须已放行）。", "Lot id (released)."),
    "help.*.--min-grade": (
        "最低合格等级（默认：设置“最低合格等级”verify.min_grade）。",
        "Lowest passing grade (default: [verify] min_grade).",
    ),
    "help.*.--out": (
        "输出文件（默认：直接显示在屏幕上；XLSX 必须写入文件）。",
        "Output file (default: standard output; XLSX needs a file).",
    ),
    "help.*.--printer": (
        "打印机地址（默认：设置“标签打印机地址”printer.uri）。",
        "Printer URI (default: [printer] uri).",
    ),
    "help.*.--reason": ("原因（记入台账，并随结果显示）。", "Why (recorded in the ledger and shown with the result)."),
    "help.*.--seconds": (
        "运行多少秒后停止（默认：一直运行，直到按 Ctrl+C）。",
        "Stop after this many seconds (default: until Ctrl-C).",
    ),
    "help.*.--template": ("打印该标签所用的模板。", "Template the label was printed from."),
    "help.*.--yes": ("不再询问，直接执行（供脚本使用）。", "Do it without asking (for scripts)."),
    "help.audit": ("防篡改的事件记录（审计链）。", "The tamper-evident event log."),
    "help.audit.anchor": (
        (
            "先核对台账，再把链头（事件数、最后编号、最后哈希、时间、校验码）记在台账旁边和 --out "
            "指定的文件里，并打印一行，抄在当天最后一张领取单上。台账核对不通过时退出状态为 1，什么也不记。"
        ),
        (
            "Verify the ledger, then record its head (event count, last id, last hash, time, MAC) beside the ledger "
            "and\n"
            "in --out, and print a line to put on the day's last slip. Exit 1, recording nothing, if the ledger does "
            "not\n"
            "verify."
        ),
    ),
    "help.audit.anchor.--out": (
        "另把链头记录写入此文件（请存放在工作站以外）。",
        "Also write the head record to this file (to keep away from the station).",
    ),
    "help.audit.anchor.short": (
        "核对台账，记下当前链头。",
        (
            "Verify the ledger, then record its head (event count, last id, last hash, time, MAC) beside the ledger "
            "and in --out, and print a line to put on the day's last slip."
        ),
    ),
    "help.audit.short": ("防篡改的事件记录（审计链）。", "The tamper-evident event log."),
    "help.audit.verify": (
        (
            "重新计算事件哈希链，与保存的链头记录（及 --anchor "
            "给的记录）核对，并由事件重算各表；遇到第一个断开或缺失的事件、或对不上的记录时，退出状态为 "
            "1。全部一致时，保存的链头记录更新为当前链头。"
        ),
        (
            "Recompute the event hash chain, check it against the kept head record (and --anchor), and recompute "
            "the\n"
            "tables from the events; exit 1 at the first broken or missing event, or row that disagrees. When all "
            "agree,\n"
            "the kept head record moves to the current head."
        ),
    ),
    "help.audit.verify.--anchor": (
        "audit anchor 写下的链头记录：审计链中须仍有这条记录，且不能在它之前结束。",
        "A head record written by `audit anchor`: the chain must still hold it and not end before it.",
    ),
    "help.audit.verify.--slip": (
        "领取单上印的链头（#编号 加哈希数字）：审计链中须仍有该编号的事件，且哈希相同。",
        "The head as a slip shows it (#<id> <hash digits>): the chain must still hold that event with that hash.",
    ),
    "help.audit.verify.short": (
        "核对审计链和台账各表。",
        (
            "Recompute the event hash chain, check it against the kept head record (and --anchor), and recompute the "
            "tables from the events; exit 1 at the first broken or missing event, or row that disagrees."
        ),
    ),
    "help.backup": (
        (
            "把台账、发码密钥和设置写进一个用口令加密的文件（工作站运行时也可以备份）。请存放在工作站以外；密钥一旦丢"
            "失，所有码都再也无法核验。"
        ),
        (
            "Write the ledger, the code key and the settings to one file encrypted with a passphrase (safe while "
            "the\n"
            "station runs). Keep it away from the station; without the key no code can ever be checked again."
        ),
    ),
    "help.backup.--out": ("要写入的备份文件。", "The backup file to write."),
    "help.backup.short": (
        "把台账、密钥和设置加密备份到一个文件。",
        (
            "Write the ledger, the code key and the settings to one file encrypted with a passphrase (safe while the "
            "station runs)."
        ),
    ),
    "help.bind": ("把已领取的码赋给一个批次（赋码）。", "Bind handed-over codes to a lot (赋码)."),
    "help.bind.--first": ("同一卷中一段码的第一个码。", "First code of a range on one roll."),
    "help.bind.--last": ("这段码的最后一个码。", "Last code of the range."),
    "help.bind.--roll": ("把这一卷所有已领取的码都赋给该批次。", "Bind every handed-over code of this roll."),
    "help.bind.short": ("把已领取的码赋给一个批次（赋码）。", "Bind handed-over codes to a lot (赋码)."),
    "help.certificate": ("承诺达标合格证：按批次开具、列出。", "承诺达标合格证: issue per lot, list."),
    "help.certificate.issue": (
        "打印 --count 张带批次信息的编号合格证；每张都记入台账。",
        "Print COUNT numbered certificates carrying the lot's data; each is recorded in the ledger.",
    ),
    "help.certificate.issue.--count": ("要打印的合格证张数。", "Certificates to print."),
    "help.certificate.issue.short": (
        "按批次打印编号合格证。",
        "Print COUNT numbered certificates carrying the lot's data; each is recorded in the ledger.",
    ),
    "help.certificate.list": (
        "已开具的合格证：编号、批次、时间、操作员、工作站、打印机。",
        "Certificates issued: number, lot, time, operator, station, printer.",
    ),
    "help.certificate.list.--lot": ("只列这个批次的合格证。", "Only this lot's certificates."),
    "help.certificate.list.short": (
        "列出已开具的合格证。",
        "Certificates issued: number, lot, time, operator, station, printer.",
    ),
    "help.certificate.short": ("承诺达标合格证：按批次开具、列出。", "承诺达标合格证: issue per lot, list."),
    "help.check": (
        "离线核验手工输入的码：真码显示“有效”，退出状态为 0；否则显示原因，退出状态为 1。",
        'Check a code typed by hand, offline: exit 0 and "valid" if genuine, else exit 1 with the reason.',
    ),
    "help.check.short": (
        "离线核验手工输入的码。",
        'Check a code typed by hand, offline: exit 0 and "valid" if genuine, else exit 1 with the reason.',
    ),
    "help.demo": (
        (
            "建立演示县（牟定的企业、产品、操作员和一张发码单），在模拟设备（127.0.0.1 "
            "上的打印机、虚拟摄像头）上打印并验印这张发码单，然后在这些设备上打开工作站界面。"
        ),
        (
            "Seed the demo county (Mouding enterprises, products, operators, one order), print and verify that order "
            "on\n"
            "emulated devices (printer on 127.0.0.1, virtual camera), then open the app on those devices."
        ),
    ),
    "help.demo.--no-app": (
        "完成后不打开工作站界面（界面只在终端中打开）。",
        "Do not open the app afterwards (it opens only in a terminal).",
    ),
    "help.demo.--no-run": ("只建立演示县，不打印。", "Only seed the demo county; do not print."),
    "help.demo.short": (
        "建立演示县，在模拟设备上打印并验印。",
        (
            "Seed the demo county (Mouding enterprises, products, operators, one order), print and verify that order "
            "on emulated devices (printer on 127.0.0.1, virtual camera), then open the app on those devices."
        ),
    ),
    "help.devices": (
        "列出本机能看到的打印机、扫码枪、串口和摄像头，以及设置中的打印机。",
        "List the printers, scanners, serial ports and cameras this machine can see, and the configured printer.",
    ),
    "help.devices.short": (
        "列出本机能看到的设备。",
        "List the printers, scanners, serial ports and cameras this machine can see, and the configured printer.",
    ),
    "help.emulate": (
        "模拟设备，使用与真实设备相同的通信协议（没有硬件时试用工作站）。",
        "Emulated devices that speak the real protocols (for trying the station without hardware).",
    ),
    "help.emulate.camera": (
        "运行虚拟摄像头：拍摄模拟打印机打出的标签，在 127.0.0.1 上以网络视频流提供画面。",
        "Run a virtual camera that films the printer emulator's output and serves MJPEG on 127.0.0.1.",
    ),
    "help.emulate.camera.--blur": ("失焦模糊的强度，单位：像素。", "Focus blur sigma, pixels."),
    "help.emulate.camera.--delay": (
        "画面比打印机晚多少秒（摄像头处理慢）。",
        "Seconds the pictures lag behind the printer (a slow camera pipeline).",
    ),
    "help.emulate.camera.--frozen": ("一直发送同一帧画面。", "Keep sending the same frame."),
    "help.emulate.camera.--jitter": ("随机位移，单位：像素。", "Random shift, pixels."),
    "help.emulate.camera.--lighting": ("光照不均的程度，比例。", "Uneven lighting, share."),
    "help.emulate.camera.--listen": ("监听地址：http://127.0.0.1:端口", "http://127.0.0.1:PORT"),
    "help.emulate.camera.--no-frames": ("保持连接，但不发送画面。", "Keep the connection but send no frames."),
    "help.emulate.camera.--noise": ("感光噪点的强度，单位：灰度级。", "Sensor noise sigma, grey levels."),
    "help.emulate.camera.--perspective": ("四角偏移（透视变形），占画面的比例。", "Corner displacement, share."),
    "help.emulate.camera.--printer-out": (
        "模拟打印机的 --out 文件夹：摄像头拍其中最新的一张标签。",
        "The printer emulator's --out folder: the camera films its newest label.",
    ),
    "help.emulate.camera.--px-per-dot": ("每个标签点对应的画面像素数。", "Label dots to frame pixels."),
    "help.emulate.camera.--rotation": ("随机旋转，单位：± 度。", "Random rotation, ± degrees."),
    "help.emulate.camera.short": (
        "运行虚拟摄像头。",
        "Run a virtual camera that films the printer emulator's output and serves MJPEG on 127.0.0.1.",
    ),
    "help.emulate.printer": (
        "运行虚拟标签打印机，把打出的每张标签存成一张图片。",
        "Run a virtual label printer that writes each printed label to a PNG.",
    ),
    "help.emulate.printer.--cover-open": ("启动时机盖是打开的。", "Start with the cover open."),
    "help.emulate.printer.--darkness": ("打印浓度，0.1 到 1.0。", "Print darkness, 0.1 to 1.0."),
    "help.emulate.printer.--dead-elements": (
        "坏了的加热点，例如 100,101,212。",
        "Dead heating elements, e.g. 100,101,212.",
    ),
    "help.emulate.printer.--disconnect-after-bytes": (
        "收到 N 个字节后断开连接。",
        "Drop the connection after N bytes.",
    ),
    "help.emulate.printer.--label-mm": ("标签纸上每张标签的长度。", "Roll label length."),
    "help.emulate.printer.--listen": (
        "socket://127.0.0.1:端口；串口打印机用 pty:///链接路径（链接路径可不写）。",
        "socket://127.0.0.1:PORT, or pty[:///path/of/link] for a serial printer.",
    ),
    "help.emulate.printer.--media": (
        "标签纸：每张出纸长度等于纸上标签的长度（连续纸：等于每个打印任务的长度）。",
        "The roll: labels come out as long as its labels (continuous: as long as each job).",
    ),
    "help.emulate.printer.--media-gap-mm": ("标签间隙或黑标的高度。", "Roll gap or mark height."),
    "help.emulate.printer.--offline": ("启动时离线（暂停）。", "Start offline (paused)."),
    "help.emulate.printer.--out": ("存放打出标签的文件夹。", "Folder for printed labels."),
    "help.emulate.printer.--paper-out-after": ("打印 N 张标签后缺纸。", "Paper runs out after N labels."),
    "help.emulate.printer.--silent": ("从不应答状态查询。", "Never answer status queries."),
    "help.emulate.printer.--slow-drain": ("每秒最多接收这么多字节。", "Accept at most this many bytes per second."),
    "help.emulate.printer.--speed": (
        "打印速度，单位 mm/s：每张标签出纸用时为（长度 + 间隙）÷ 速度。0 表示立即出纸。",
        "Print speed in mm/s: each label takes (length + gap) / speed to come out. 0: instant.",
    ),
    "help.emulate.printer.short": (
        "运行虚拟标签打印机。",
        "Run a virtual label printer that writes each printed label to a PNG.",
    ),
    "help.emulate.scanner": (
        "在伪终端上运行虚拟扫码枪，按真实的节奏输入预设的扫码内容。",
        "Run a virtual barcode scanner on a pty that types scripted scans with realistic timing.",
    ),
    "help.emulate.scanner.--aim": ("要发送的码制标识前缀，例如 ]Q1。", "AIM symbology prefix to send, e.g. ]Q1."),
    "help.emulate.scanner.--interval": ("两次预设扫码之间相隔的秒数。", "Seconds between scripted scans."),
    "help.emulate.scanner.--link": (
        "扫码枪伪终端的固定路径（就像系统设备规则建立的链接）。",
        "A stable path for the scanner's pty (like a udev symlink).",
    ),
    "help.emulate.scanner.--scan": ("就绪后扫一次的内容；可重复。", "Data to scan once ready; repeatable."),
    "help.emulate.scanner.--stx": (
        "每次扫码前后加起始符和结束符，不加结尾符。",
        "Frame each scan with STX … ETX instead of a suffix.",
    ),
    "help.emulate.scanner.short": (
        "运行虚拟扫码枪。",
        "Run a virtual barcode scanner on a pty that types scripted scans with realistic timing.",
    ),
    "help.emulate.short": (
        "模拟设备（没有硬件时试用工作站）。",
        "Emulated devices that speak the real protocols (for trying the station without hardware).",
    ),
    "help.enterprise": ("企业：登记、审核、黑名单、列出。", "Enterprises: register, review, blacklist, list."),
    "help.enterprise.add": (
        "登记一家企业的申请（待审核）；显示其编号。",
        "Register an enterprise application (pending review); prints its id.",
    ),
    "help.enterprise.add.--name": (
        "注册名称，例如 牟定县某某食品有限公司。",
        "Registered name, e.g. 牟定县某某食品有限公司.",
    ),
    "help.enterprise.add.short": (
        "登记一家企业的申请（待审核）。",
        "Register an enterprise application (pending review); prints its id.",
    ),
    "help.enterprise.apply": (
        "企业提交准入申请，附证照和资质；然后等待审核。",
        "An enterprise applies for admission with its licences and qualifications; it waits for review.",
    ),
    "help.enterprise.apply.--licence": (
        (
            "证照类型:证号[:有效期]，证照类型为 "
            "business（营业执照）、hygiene（卫生许可证）、food（食品流通经营许可证）之一；证照有有效期的，有效期写成 "
            "年-月-日（如 2028-06-30）。"
        ),
        (
            "KIND:NUMBER[:EXPIRY], KIND one of business (营业执照), hygiene (卫生许可证), food (食品流通经营许可证); "
            "EXPIRY as yyyy-mm-dd where the licence has one."
        ),
    ),
    "help.enterprise.apply.--name": ("注册名称。", "Registered name."),
    "help.enterprise.apply.--qualification": (
        "地理标志、中华老字号、云南老字号、绿色食品、有机、无公害…；可重复。",
        "地理标志, 中华老字号, 云南老字号, 绿色食品, 有机, 无公害…; repeatable.",
    ),
    "help.enterprise.apply.short": (
        "企业提交准入申请，附证照和资质。",
        "An enterprise applies for admission with its licences and qualifications; it waits for review.",
    ),
    "help.enterprise.approve": (
        "准入一家企业：此后可以为它发码。",
        "Admit an enterprise (准入): it may then be issued codes.",
    ),
    "help.enterprise.approve.--reason": ("随准入记下的说明。", "Note recorded with the approval."),
    "help.enterprise.approve.short": ("准入一家企业。", "Admit an enterprise (准入): it may then be issued codes."),
    "help.enterprise.blacklist": (
        "把失信企业列入黑名单：不再为它发码。",
        "Put a dishonest enterprise on the blacklist: no more codes for it.",
    ),
    "help.enterprise.blacklist.--reason": ("原因（失信行为）。", "Why (失信行为)."),
    "help.enterprise.blacklist.short": (
        "把失信企业列入黑名单。",
        "Put a dishonest enterprise on the blacklist: no more codes for it.",
    ),
    "help.enterprise.list": ("列出企业及其状态。", "List enterprises with their status."),
    "help.enterprise.list.short": ("列出企业及其状态。", "List enterprises with their status."),
    "help.enterprise.reject": ("驳回一份申请，并写明原因。", "Refuse an application, with the reason."),
    "help.enterprise.reject.--reason": ("驳回申请的原因。", "Why the application is refused."),
    "help.enterprise.reject.short": ("驳回一份申请。", "Refuse an application, with the reason."),
    "help.enterprise.review": (
        "审核一份申请：准入，或写明原因驳回。",
        "Review an application: approve (准入) or reject with the reason.",
    ),
    "help.enterprise.review.--reason": ("驳回时必填。", "Required to reject."),
    "help.enterprise.review.short": (
        "审核一份申请：准入或驳回。",
        "Review an application: approve (准入) or reject with the reason.",
    ),
    "help.enterprise.short": ("企业：登记、审核、黑名单、列出。", "Enterprises: register, review, blacklist, list."),
    "help.enterprise.unblacklist": ("把企业移出黑名单。", "Take an enterprise off the blacklist."),
    "help.enterprise.unblacklist.--reason": ("移出黑名单的原因。", "Why the enterprise is taken off the blacklist."),
    "help.enterprise.unblacklist.short": ("把企业移出黑名单。", "Take an enterprise off the blacklist."),
    "help.export": ("导出数据，供表格软件和其他系统使用。", "Exports for spreadsheets and other systems."),
    "help.export.certificates": (
        "已开具的承诺达标合格证：编号、批次、产品、产地、生产者、时间、操作员、工作站、打印机。",
        "承诺达标合格证 issued: number, lot, product, origin, producer, time, operator, station, printer.",
    ),
    "help.export.certificates.--lang": (
        "列标题的语言（默认：工作站的语言，未设置时为中文）。",
        "Language of the column headings (default: the station's language, Chinese unless set).",
    ),
    "help.export.certificates.--lot": ("只导出这个批次的合格证。", "Only this lot's certificates."),
    "help.export.certificates.short": (
        "导出已开具的合格证。",
        "承诺达标合格证 issued: number, lot, product, origin, producer, time, operator, station, printer.",
    ),
    "help.export.codes": (
        "每个码一行：码、序号、状态、二维码内容（CSV 为 UTF-8 编码并带字节顺序标记；XLSX 中码保存为文本）。",
        "One row per code: code, serial, state, payload (CSV: UTF-8 with BOM; XLSX: codes kept as text).",
    ),
    "help.export.codes.--lang": (
        "列标题用的语言（XLSX 默认用工作站的语言；CSV 默认用列名）。",
        "Column headings in this language (XLSX: the station's language by default; CSV: column names).",
    ),
    "help.export.codes.--order": ("发码单编号。", "Order id."),
    "help.export.codes.--out": ("输出文件（默认：直接显示在屏幕上）。", "Output file (default: standard output)."),
    "help.export.codes.short": (
        "导出发码单的码，每个码一行。",
        "One row per code: code, serial, state, payload (CSV: UTF-8 with BOM; XLSX: codes kept as text).",
    ),
    "help.export.epcis": (
        "一个批次的码的 GS1 EPCIS 2.0（JSON-LD）事件：赋码启用、领取出货、召回。",
        "GS1 EPCIS 2.0 (JSON-LD) events of a lot's codes: commissioning, shipping at pickup, recall.",
    ),
    "help.export.epcis.--lot": ("批次编号。", "Lot id."),
    "help.export.epcis.--out": ("输出文件（默认：直接显示在屏幕上）。", "Output file (default: standard output)."),
    "help.export.epcis.short": (
        "导出批次的 GS1 EPCIS 事件。",
        "GS1 EPCIS 2.0 (JSON-LD) events of a lot's codes: commissioning, shipping at pickup, recall.",
    ),
    "help.export.grades": (
        "验印记录：每张验印合格或不合格的标签一行，含打印任务、卷、位置、等级和原因。",
        "Verification: one row per verified or rejected label with its run, roll, position, grade and reason.",
    ),
    "help.export.grades.--lang": (
        "列标题的语言（默认：工作站的语言，未设置时为中文）。",
        "Language of the column headings (default: the station's language, Chinese unless set).",
    ),
    "help.export.grades.--order": ("只导出这张发码单的标签。", "Only this order's labels."),
    "help.export.grades.short": (
        "导出验印记录。",
        "Verification: one row per verified or rejected label with its run, roll, position, grade and reason.",
    ),
    "help.export.hidden": (
        "一张发码单的码及其暗码，交给刮开涂层印刷厂；导出记入台账。",
        "An order's codes with their hidden codes, for a scratch-off printing service; recorded in the ledger.",
    ),
    "help.export.hidden.--for": (
        "接收文件的单位（刮开涂层印刷厂）；记入台账。",
        "Who receives the file (the scratch-off printer); recorded.",
    ),
    "help.export.hidden.--order": ("发码单编号（须带暗码）。", "Order id (printed with hidden codes)."),
    "help.export.hidden.--out": ("新的 CSV 文件（权限 0600）。", "New CSV file (mode 0600)."),
    "help.export.hidden.short": (
        "导出发码单的暗码（交印刷厂）。",
        "An order's codes with their hidden codes, for a scratch-off printing service; recorded in the ledger.",
    ),
    "help.export.lot": (
        "一个批次的完整追溯记录，报送省级平台（见 docs/exchange.md）：企业、产品、批次、码、事件。",
        "A lot's whole trace for the provincial platform (docs/exchange.md): enterprise, product, lot, codes, events.",
    ),
    "help.export.lot.--out": ("输出文件（默认：直接显示在屏幕上）。", "Output file (default: standard output)."),
    "help.export.lot.short": (
        "导出批次的完整追溯记录（报送省级平台）。",
        "A lot's whole trace for the provincial platform (docs/exchange.md): enterprise, product, lot, codes, events.",
    ),
    "help.export.orders": (
        "发码记录：每张发码单一行，含企业、产品、数量、时间和各状态的码数。",
        "Issuance: one row per order with its enterprise, product, count, time and codes per state.",
    ),
    "help.export.orders.--lang": (
        "列标题的语言（默认：工作站的语言，未设置时为中文）。",
        "Language of the column headings (default: the station's language, Chinese unless set).",
    ),
    "help.export.orders.short": (
        "导出发码记录。",
        "Issuance: one row per order with its enterprise, product, count, time and codes per state.",
    ),
    "help.export.pickups": (
        "领取记录：企业、领取人、操作员、时间、码卷、交出的码、撤销。",
        "Pickups (领取): enterprise, receiver, operator, time, rolls, codes handed over, undo.",
    ),
    "help.export.pickups.--enterprise": ("只导出这家企业的领取。", "Only this enterprise's pickups."),
    "help.export.pickups.--lang": (
        "列标题的语言（默认：工作站的语言，未设置时为中文）。",
        "Language of the column headings (default: the station's language, Chinese unless set).",
    ),
    "help.export.pickups.short": (
        "导出领取记录。",
        "Pickups (领取): enterprise, receiver, operator, time, rolls, codes handed over, undo.",
    ),
    "help.export.runs": (
        "打印任务：状态、原因、时间、已打印、已验印和已作废的标签数、码卷。",
        "Print runs: status, reason, times, labels printed, verified and voided, rolls.",
    ),
    "help.export.runs.--lang": (
        "列标题的语言（默认：工作站的语言，未设置时为中文）。",
        "Language of the column headings (default: the station's language, Chinese unless set).",
    ),
    "help.export.runs.--order": ("只导出这张发码单的打印任务。", "Only this order's runs."),
    "help.export.runs.short": (
        "导出打印任务。",
        "Print runs: status, reason, times, labels printed, verified and voided, rolls.",
    ),
    "help.export.short": ("导出数据，供表格软件和其他系统使用。", "Exports for spreadsheets and other systems."),
    "help.hidden": (
        "刮开涂层下的暗码：哪些发码单带暗码，拍到暗码的摄像头照片。",
        "Hidden codes under a scratch-off patch (暗码): which orders carry them, camera pictures that show them.",
    ),
    "help.hidden.mark": (
        "让一张发码单的标签都印上暗码（须在一张都还没印之前；station issue --hidden 可在发码时一并设定）。",
        "Print an order's labels with a hidden code (before any is printed; `station issue --hidden` does it at once).",
    ),
    "help.hidden.mark.--order": ("发码单编号（其标签一张都还没印）。", "Order id (none of its labels printed yet)."),
    "help.hidden.mark.short": (
        "让一张发码单的标签印上暗码。",
        "Print an order's labels with a hidden code (before any is printed; `station issue --hidden` does it at once).",
    ),
    "help.hidden.prune": (
        "删除超过设置“暗码标签照片保留（小时）”verify.capture_retention_h 的暗码标签照片。",
        "Delete camera pictures of hidden-code labels older than [verify] capture_retention_h.",
    ),
    "help.hidden.prune.short": (
        "删除过期的暗码标签照片。",
        "Delete camera pictures of hidden-code labels older than [verify] capture_retention_h.",
    ),
    "help.hidden.short": (
        "暗码：带暗码的发码单与照片。",
        "Hidden codes under a scratch-off patch (暗码): which orders carry them, camera pictures that show them.",
    ),
    "help.init": (
        "建立数据目录、其中的密钥（权限 0600）、设置和台账。",
        "Create the data directory, its secret key (mode 0600), settings and ledger.",
    ),
    "help.init.short": (
        "建立数据目录、密钥、设置和台账。",
        "Create the data directory, its secret key (mode 0600), settings and ledger.",
    ),
    "help.issue": ("发一批码（发码），作为一张发码单。", "Issue a batch of codes (发码) as one order."),
    "help.issue.--count": ("码的个数。", "Number of codes."),
    "help.issue.--enterprise": ("企业编号（须已准入）。", "Enterprise id (approved)."),
    "help.issue.--hidden": (
        "每张标签都印上暗码，盖在刮开涂层下。",
        "Print each label with a hidden code (暗码) under a scratch-off patch.",
    ),
    "help.issue.--lot": (
        "批号，发码时已知则填（写入二维码，即 GS1 应用标识符 10）。",
        "Lot number, when known at issue (GS1 AI 10 in the QR).",
    ),
    "help.issue.--product": ("该企业的产品编号。", "Product id of that enterprise."),
    "help.issue.short": ("发一批码（发码），作为一张发码单。", "Issue a batch of codes (发码) as one order."),
}
