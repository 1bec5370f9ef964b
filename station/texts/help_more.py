"""What `station … --help` says of the commands from ``label`` on (``station.texts.help`` holds the others, and
says how the keys are made)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
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
