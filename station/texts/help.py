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
    "help.label": ("标签模板：列出、检查、预览。", "Label templates: list, check, render previews."),
    "help.label.check": (
        (
            "检查一个模板文件：设置项、占位符、编号、位置和重叠、追溯标签必备的六项内容、与设置中的打印机相符的间隙、"
            "字体。每个问题都指出所在行。有问题时退出状态为 1；有问题的模板一律不打印。"
        ),
        (
            "Validate a template file: settings, placeholders, ids, placement and overlaps, a trace label's six\n"
            "required fields, the gap for the configured printer, fonts. Each problem names its line. Exit 1 when it "
            "has\n"
            "problems; a template with problems never prints."
        ),
    ),
    "help.label.check.short": (
        "检查一个标签模板文件。",
        (
            "Validate a template file: settings, placeholders, ids, placement and overlaps, a trace label's six "
            "required fields, the gap for the configured printer, fonts."
        ),
    ),
    "help.label.list": (
        "列出标签模板（随程序提供的，以及数据目录 label_templates 文件夹中的）。",
        "List the label templates (shipped, and any in the data directory's label_templates).",
    ),
    "help.label.list.short": (
        "列出标签模板。",
        "List the label templates (shipped, and any in the data directory's label_templates).",
    ),
    "help.label.render": (
        "按打印机的点阵把标签画成图片，与打印机将打出的完全一样。",
        "Render labels to PNG at printer dots, exactly what the printer will print.",
    ),
    "help.label.render.--code": ("画出这个码的标签。", "Render the label of this code."),
    "help.label.render.--dpi": ("改用这个打印精度。", "Printer resolution override."),
    "help.label.render.--limit": ("与 --order 同用：画多少张。", "With --order: how many labels."),
    "help.label.render.--order": ("画出这张发码单的标签。", "Render labels of this order."),
    "help.label.render.--out": ("图片文件（.png）；多张时依次编号。", "PNG file; numbered when several."),
    "help.label.render.--preview": ("同时在终端里显示标签。", "Also show the label in the terminal."),
    "help.label.render.--template": ("模板名称或 .toml 文件。", "Template name or .toml file."),
    "help.label.render.short": (
        "把标签画成图片预览。",
        "Render labels to PNG at printer dots, exactly what the printer will print.",
    ),
    "help.label.short": ("标签模板：列出、检查、预览。", "Label templates: list, check, render previews."),
    "help.lookup": (
        (
            "台账中关于一个码的全部记录：状态、企业、产品、发码单、经历。输入合格证编号（如 "
            "HG000000127）则显示该合格证、其批次和生产者。"
        ),
        (
            "Everything the ledger knows about a code: state, enterprise, product, order, history. A certificate "
            "number\n"
            "(HG…) shows the certificate, its lot and producer."
        ),
    ),
    "help.lookup.short": (
        "查看一个码在台账中的全部记录。",
        "Everything the ledger knows about a code: state, enterprise, product, order, history.",
    ),
    "help.lot": ("批次：登记、检验、放行、召回。", "Lots: record, inspect, release, recall."),
    "help.lot.add": ("登记一个产品的批次。", "Record a lot of a product."),
    "help.lot.add.--date": ("生产日期，年-月-日（如 2026-12-01）。", "Production date, YYYY-MM-DD."),
    "help.lot.add.--number": (
        "批号（字母、数字、GS1 符号；最多 20 个）。",
        "Lot number (letters, digits, GS1 symbols; up to 20).",
    ),
    "help.lot.add.--product": ("产品编号。", "Product id."),
    "help.lot.add.--quantity": ("数量或重量，例如 500克。", "Quantity or weight, e.g. 500克."),
    "help.lot.add.--record": ("一条生产或加工记录；可重复。", "A production or processing record; repeatable."),
    "help.lot.add.short": ("登记一个产品的批次。", "Record a lot of a product."),
    "help.lot.inspect": ("记下批次的检验结果。", "Record the lot's inspection result."),
    "help.lot.inspect.--report": ("检验报告编号。", "Test report reference."),
    "help.lot.inspect.short": ("记下批次的检验结果。", "Record the lot's inspection result."),
    "help.lot.list": ("列出批次。", "List lots."),
    "help.lot.list.short": ("列出批次。", "List lots."),
    "help.lot.recall": (
        "召回一个批次：赋给它的每个码查询时都会提示召回。",
        "Recall a lot: every code bound to it reports the recall.",
    ),
    "help.lot.recall.--reason": ("召回的原因。", "Why the lot is recalled."),
    "help.lot.recall.short": ("召回一个批次。", "Recall a lot: every code bound to it reports the recall."),
    "help.lot.release": (
        "放行检验合格的批次（合格产品准出）。",
        "Release a lot that passed inspection (合格产品准出).",
    ),
    "help.lot.release.short": ("放行检验合格的批次。", "Release a lot that passed inspection (合格产品准出)."),
    "help.lot.short": ("批次：登记、检验、放行、召回。", "Lots: record, inspect, release, recall."),
    "help.operator": (
        "登录工作站的操作员：办事员、质检员或管理员。",
        "Operators who sign in to the app: clerk, QC or admin.",
    ),
    "help.operator.add": (
        "添加一名操作员，定角色和 PIN（只保存不可还原的哈希）；有了操作员之后，须由管理员添加。",
        "Add an operator with a role and a PIN (stored as a slow hash); once there are operators, an admin does this.",
    ),
    "help.operator.add.--pin": (
        "数字，位数从设置“PIN 最少位数”station.pin_length 到 12。",
        "Digits: station.pin_length to 12.",
    ),
    "help.operator.add.short": (
        "添加一名操作员。",
        "Add an operator with a role and a PIN (stored as a slow hash); once there are operators, an admin does this.",
    ),
    "help.operator.disable": (
        "停用一名操作员，不能再登录（其记录保留）；operator enable 可恢复。",
        "Stop an operator signing in (their history stays); `operator enable` undoes it.",
    ),
    "help.operator.disable.short": (
        "停用一名操作员。",
        "Stop an operator signing in (their history stays); `operator enable` undoes it.",
    ),
    "help.operator.enable": ("让已停用的操作员重新可以登录。", "Let a disabled operator sign in again."),
    "help.operator.enable.short": ("恢复一名已停用的操作员。", "Let a disabled operator sign in again."),
    "help.operator.list": ("所有操作员：姓名、角色、是否停用。", "Every operator: name, role and whether disabled."),
    "help.operator.list.short": ("列出所有操作员。", "Every operator: name, role and whether disabled."),
    "help.operator.pin": (
        "给操作员设新 PIN（同时清除其输错次数和锁定）。",
        "Give an operator a new PIN (clears their wrong-PIN count and lock).",
    ),
    "help.operator.pin.--pin": ("新的 PIN。", "The new PIN."),
    "help.operator.pin.short": (
        "给操作员设新 PIN。",
        "Give an operator a new PIN (clears their wrong-PIN count and lock).",
    ),
    "help.operator.short": (
        "操作员：办事员、质检员或管理员。",
        "Operators who sign in to the app: clerk, QC or admin.",
    ),
    "help.pickup": (
        "把码卷交给企业：逐卷扫描卷头标签；扫错会响一声，什么也不改。",
        "Hand code rolls to an enterprise: scan each roll header; bad scans beep and change nothing.",
    ),
    "help.pickup-undo": (
        (
            "撤销本工作站在设置“可撤销领取（分钟）”pickup.undo_window_min "
            "内做的一次领取，须写明原因（记为一条事件，不删除任何记录）：其码回到“已验印”。"
        ),
        (
            "Undo a pickup made at this station within [pickup] undo_window_min, with a reason (an event; nothing "
            "is\n"
            "deleted): its codes return to verified."
        ),
    ),
    "help.pickup-undo.--reason": ("撤销领取的原因。", "Why the pickup is taken back."),
    "help.pickup-undo.short": (
        "撤销不久前的一次领取。",
        (
            "Undo a pickup made at this station within [pickup] undo_window_min, with a reason (an event; nothing is "
            "deleted): its codes return to verified."
        ),
    ),
    "help.pickup.--codes": ("用预设的扫码内容代替扫码枪；可重复。", "Scripted scans instead of a scanner; repeatable."),
    "help.pickup.--enterprise": ("来领取的企业。", "The enterprise picking up."),
    "help.pickup.--idle": (
        "与 --scanner 同用：这么多秒没有扫码就结束（否则按回车结束）。",
        "With --scanner: finish after this many seconds without a scan (else press Enter).",
    ),
    "help.pickup.--receiver": ("领走码卷的人的姓名。", "Name of the person who takes the rolls."),
    "help.pickup.--scanner": (
        "扫码枪地址，例如 serial:///dev/ttyACM0?suffix=CR（默认：设置“扫码枪地址”pickup.scanner，用 --codes 时除外）。",
        "Scanner URI, e.g. serial:///dev/ttyACM0?suffix=CR (default: [pickup] scanner, unless --codes).",
    ),
    "help.pickup.--slip-printer": (
        "打印领取单的小票打印机地址（ESC/POS）。",
        "Receipt printer URI for the pickup slip (ESC/POS).",
    ),
    "help.pickup.short": (
        "把码卷交给企业（领取）。",
        "Hand code rolls to an enterprise: scan each roll header; bad scans beep and change nothing.",
    ),
    "help.print-test": (
        "打印一张带坏点检测条的测试标签，并显示打印前后打印机的状态。",
        "Print a test label with a dead-element band, and show the printer's status before and after.",
    ),
    "help.print-test.--height-mm": ("标签高度。", "Label height."),
    "help.print-test.--width-mm": ("标签宽度。", "Label width."),
    "help.print-test.short": (
        "打印一张测试标签。",
        "Print a test label with a dead-element band, and show the printer's status before and after.",
    ),
    "help.printer": ("标签打印机的型号和标签纸。", "The label printer's models and media."),
    "help.printer.calibrate": (
        "让打印机校准标签纸（TSPL GAPDETECT/BLINEDETECT，ZPL ~JC），并显示测得的标签长度。",
        (
            "Run the printer's media calibration (TSPL GAPDETECT/BLINEDETECT, ZPL ~JC) and show the label length it\n"
            "measured."
        ),
    ),
    "help.printer.calibrate.--lang": ("默认：设置“打印机指令集”printer.lang。", "Default: [printer] lang."),
    "help.printer.calibrate.--wait": ("等待秒数。", "Seconds."),
    "help.printer.calibrate.short": (
        "校准标签纸，显示测得的标签长度。",
        (
            "Run the printer's media calibration (TSPL GAPDETECT/BLINEDETECT, ZPL ~JC) and show the label length it "
            "measured."
        ),
    ),
    "help.printer.models": (
        "列出工作站认识的打印机型号（随程序提供的，以及 <数据目录>/printers/*.toml）。",
        "List the printer models the station knows (shipped, and <data dir>/printers/*.toml).",
    ),
    "help.printer.models.short": (
        "列出认识的打印机型号。",
        "List the printer models the station knows (shipped, and <data dir>/printers/*.toml).",
    ),
    "help.printer.short": ("标签打印机的型号和标签纸。", "The label printer's models and media."),
    "help.product": ("产品：登记、列出。", "Products: record and list."),
    "help.product.add": ("登记企业的一个产品；显示其编号。", "Record a product of an enterprise; prints its id."),
    "help.product.add.--cert": (
        "认证（地理标志、绿色食品…）；可重复。",
        "Certification (地理标志, 绿色食品, …); repeatable.",
    ),
    "help.product.add.--enterprise": ("企业编号。", "Enterprise id."),
    "help.product.add.--gtin": (
        "GTIN-8/12/13/14；填了以后二维码使用 GS1 数字链接格式。",
        "GTIN-8/12/13/14; QR codes then use GS1 Digital Link.",
    ),
    "help.product.add.--name": ("产品名称，例如 牟定腐乳。", "Product name, e.g. 牟定腐乳."),
    "help.product.add.--origin": (
        "12 位产地编码：532323 + 乡镇（3 位）+ 村（3 位）。",
        "12-digit origin code: 532323 + township (3) + village (3).",
    ),
    "help.product.add.--shelf-life": ("保质期，天数。", "Shelf life in days."),
    "help.product.add.short": ("登记企业的一个产品。", "Record a product of an enterprise; prints its id."),
    "help.product.edit": (
        "更正产品的标签内容；没给的项保持不变。已发的发码单保留原来的 GTIN。",
        "Correct a product's label fields; what is not given stays as it is. Orders already issued keep their GTIN.",
    ),
    "help.product.edit.--cert": (
        "全部认证（替换原有的）；可重复。",
        "The certifications, all of them (replaces the list); repeatable.",
    ),
    "help.product.edit.--gtin": ("更正后的 GTIN；给空值则去掉。", "Corrected GTIN; an empty value removes it."),
    "help.product.edit.--name": ("更正后的产品名称。", "Corrected product name."),
    "help.product.edit.--origin": ("更正后的 12 位产地编码。", "Corrected 12-digit origin code."),
    "help.product.edit.--shelf-life": ("更正后的保质期，天数。", "Corrected shelf life in days."),
    "help.product.edit.short": (
        "更正产品的标签内容。",
        "Correct a product's label fields; what is not given stays as it is.",
    ),
    "help.product.list": ("列出产品。", "List products."),
    "help.product.list.--enterprise": ("只列这家企业的产品。", "Only this enterprise's products."),
    "help.product.list.short": ("列出产品。", "List products."),
    "help.product.short": ("产品：登记、列出。", "Products: record and list."),
    "help.reports": (
        "消费者从查询页发来的举报（失信行为举报），最早的在前。",
        "Consumer reports (失信行为举报) sent from the query pages, oldest first.",
    ),
    "help.reports.--since": (
        "只列从这个本地日期或时间起的举报（年-月-日，或 年-月-日T时:分）。",
        "Only reports from this local date or time on (YYYY-MM-DD[THH:MM]).",
    ),
    "help.reports.short": (
        "消费者的举报（失信行为举报）。",
        "Consumer reports (失信行为举报) sent from the query pages, oldest first.",
    ),
    "help.reprint": (
        "补打卷头标签或领取单，须写明原因；纸上印有“补打”和时间。",
        "Print a roll header or a pickup slip again (补打), with a reason; the paper says 补打 and the time.",
    ),
    "help.reprint.header": (
        "在标签打印机上补打一卷（或几卷）的卷头标签。",
        "Print the header label of a roll (or several) again on the label printer.",
    ),
    "help.reprint.header.--printer": (
        "打印机地址（默认：设置中的打印机）。",
        "Printer URI (default: the configured printer).",
    ),
    "help.reprint.header.short": (
        "补打卷头标签。",
        "Print the header label of a roll (or several) again on the label printer.",
    ),
    "help.reprint.short": (
        "补打卷头标签或领取单。",
        "Print a roll header or a pickup slip again (补打), with a reason; the paper says 补打 and the time.",
    ),
    "help.reprint.slip": (
        "补打一张领取单（领取单号：印在单上的编号，如 P000031，或领取编号，如 31）。",
        "Print a pickup slip again (SLIP: its number as printed, P000031, or the pickup id, 31).",
    ),
    "help.reprint.slip.--slip-printer": (
        "小票打印机地址（默认：设置“领取单打印机地址”pickup.slip_printer）。",
        "Receipt printer URI (default: [pickup] slip_printer).",
    ),
    "help.reprint.slip.short": (
        "补打一张领取单。",
        "Print a pickup slip again (SLIP: its number as printed, P000031, or the pickup id, 31).",
    ),
    "help.restore": (
        "把备份恢复到数据目录：先核对（口令、密钥、审计链），再放到位；被替换的文件保留为 *.before-restore。",
        (
            "Restore a backup into the data directory: checked first (passphrase, key, audit chain), then put in "
            "place;\n"
            "replaced files are kept as *.before-restore."
        ),
    ),
    "help.restore.--replace": (
        "替换数据目录中已有的台账、密钥和设置。",
        "Replace an existing data directory's ledger, key and settings.",
    ),
    "help.restore.short": (
        "把备份恢复到数据目录。",
        (
            "Restore a backup into the data directory: checked first (passphrase, key, audit chain), then put in "
            "place; replaced files are kept as *.before-restore."
        ),
    ),
    "help.run": (
        "逐卷打印一张发码单：每张标签都由摄像头验印，不合格的作废并补印。",
        "Print an order roll by roll: every label verified by the camera, failures voided and replaced.",
    ),
    "help.run.--fault-timeout": (
        "打印机或摄像头故障这么多秒仍未排除时放弃等待。",
        "Give up waiting for a printer or camera fault to clear after this many seconds.",
    ),
    "help.run.--max-rejects": (
        "连续这么多张标签不合格时停机。",
        "Stop the line after this many failed labels in a row.",
    ),
    "help.run.--order": ("要打印的发码单。", "The order to print."),
    "help.run.--resume": (
        "接着打印这张发码单中断了的打印（重新开始也会接着打）。",
        "Continue the order's interrupted run (starting again does too).",
    ),
    "help.run.--roll-size": ("每卷合格标签的张数。", "Good labels per roll."),
    "help.run.--template": (
        "标签模板（默认：设置“标签模板”labels.template）。",
        "Label template (default: [labels] template).",
    ),
    "help.run.short": (
        "逐卷打印并验印一张发码单。",
        "Print an order roll by roll: every label verified by the camera, failures voided and replaced.",
    ),
    "help.serve": (
        "运行消费者查询服务，标签二维码指向的就是它（按 Ctrl+C 停止）。",
        "Run the consumer query service that the labels' QR codes point to (Ctrl+C stops it).",
    ),
    "help.serve.--listen": (
        "监听的 主机:端口（默认：设置“查询服务监听地址”query.listen，即 127.0.0.1:8080）。",
        "HOST:PORT to listen on (default: [query] listen, 127.0.0.1:8080).",
    ),
    "help.serve.--workers": (
        "共用监听地址和台账的服务进程数（默认：设置“查询服务进程数”query.workers，即 1）。",
        "Server processes sharing the socket and the ledger (default: [query] workers, 1).",
    ),
    "help.serve.short": (
        "运行消费者查询服务。",
        "Run the consumer query service that the labels' QR codes point to (Ctrl+C stops it).",
    ),
    "help.settings": (
        "所有设置、当前值和可填的值；settings set 设置项 值 可修改一项。",
        "Every setting, its value and what it accepts; `settings set KEY VALUE` changes one.",
    ),
    "help.settings.set": (
        "修改数据目录中 station.toml 的一项设置（写入前先检查）。",
        "Change one setting in the data directory's station.toml (checked before it is written).",
    ),
    "help.settings.set.short": (
        "修改一项设置。",
        "Change one setting in the data directory's station.toml (checked before it is written).",
    ),
    "help.settings.short": (
        "查看设置；修改一项设置。",
        "Every setting, its value and what it accepts; `settings set KEY VALUE` changes one.",
    ),
    "help.stats": (
        "查询统计：今天和累计、查询最多的码、异常、未知的码、举报。",
        "Query statistics: today and in all, most-queried codes, anomalies, unknown codes, reports.",
    ),
    "help.stats.--top": ("列出查询最多的码的个数。", "How many most-queried codes to list."),
    "help.stats.short": (
        "查询统计。",
        "Query statistics: today and in all, most-queried codes, anomalies, unknown codes, reports.",
    ),
    "help.verify-camera": (
        "现在就验印摄像头下的标签：用本命令开始后拍到的第一帧画面。",
        "Verify the label under the camera now: the first frame taken after this command started.",
    ),
    "help.verify-camera.short": (
        "验印摄像头下的标签。",
        "Verify the label under the camera now: the first frame taken after this command started.",
    ),
    "help.verify-image": (
        "验印标签照片：能否读出、是否为应有的内容、A 到 F 的等级及每项参数、缺陷。",
        "Verify label photos: decoded, the expected payload, grade A–F with every parameter, defects.",
    ),
    "help.verify-image.--manifest": (
        "列出 图片,二维码内容 的 CSV 文件（路径相对于该文件所在位置）。",
        "CSV of image,payload rows (paths relative to the manifest).",
    ),
    "help.verify-image.short": (
        "验印标签照片。",
        "Verify label photos: decoded, the expected payload, grade A–F with every parameter, defects.",
    ),
    "help.void": (
        "发码后作废码，须写明原因：一张发码单未打印的码、丢失或被盗的一卷、单个的码。",
        "Void codes after issue, with a reason: an order's unprinted codes, a lost or stolen roll, single codes.",
    ),
    "help.void.code": (
        (
            "作废单个的码，已领取的也可以（每个码写 20 "
            "位数字、加引号的分组数字或标签上的链接）：要么全部作废，只要有一个被拒绝，就一个也不作废。"
        ),
        (
            "Void single codes, handed out or not (each as 20 digits, grouped digits in quotes, or a label's link): "
            "all\n"
            "of them or, when one is refused, none."
        ),
    ),
    "help.void.code.short": (
        "作废单个的码。",
        (
            "Void single codes, handed out or not (each as 20 digits, grouped digits in quotes, or a label's link): "
            "all of them or, when one is refused, none."
        ),
    ),
    "help.void.order": (
        "取消一张已发的发码单：其尚未打印的码作废，以后不再打印；已打印的码不变。",
        "Cancel an issued order: its codes not yet printed are voided and it prints nothing more; printed codes\nstay.",
    ),
    "help.void.order.short": (
        "取消一张发码单。",
        "Cancel an issued order: its codes not yet printed are voided and it prints nothing more; printed codes stay.",
    ),
    "help.void.roll": (
        "作废丢失或被盗的一卷（或几卷）：卷上所有还有效的码都作废。",
        "Void a lost or stolen roll (or several): every code on it still standing is voided.",
    ),
    "help.void.roll.short": (
        "作废丢失或被盗的码卷。",
        "Void a lost or stolen roll (or several): every code on it still standing is voided.",
    ),
    "help.void.short": (
        "作废码：发码单、整卷或单个码。",
        "Void codes after issue, with a reason: an order's unprinted codes, a lost or stolen roll, single codes.",
    ),
}
