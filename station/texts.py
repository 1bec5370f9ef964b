"""The one catalogue of user-facing texts, Chinese first, English second.

Every message a clerk sees (errors, command output, later the app's screens) is looked up here by key, so a
translation is a change to this file only. ``{name}`` placeholders are filled with ``str.format``.
"""

from __future__ import annotations

import os

LANGUAGES = ("zh", "en")

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    # --- config
    "config.unknown_key": (
        "配置文件 {file} 中有未知设置 {key}；可用的设置：{allowed}",
        "unknown setting {key} in {file}; known settings: {allowed}",
    ),
    "config.bad_value": (
        "配置 {key} 的值 {value!r} 无效：{allowed}",
        "setting {key} has invalid value {value!r}: {allowed}",
    ),
    "config.unreadable": ("无法读取配置文件 {file}：{reason}", "cannot read config file {file}: {reason}"),
    "config.not_initialised": (
        "数据目录 {home} 尚未初始化，请先运行 `station init`",
        "data directory {home} is not initialised; run `station init` first",
    ),
    "config.key_missing": (
        "密钥文件 {path} 不存在，而台账中已有记录；没有原密钥无法发码或验码，"
        "新密钥也验不了已发的码。请从备份恢复该文件",
        "key file {path} is missing but the ledger has records; without that key no code can be issued or checked, "
        "and a new key cannot check codes already issued. Restore the file from backup",
    ),
    "config.key_mismatch": (
        "密钥文件 {path} 不是签发本台账所用的密钥；请放回原密钥（从备份恢复）",
        "key file {path} is not the key this ledger was issued with; put the original key back (from backup)",
    ),
    "config.home_unusable": ("数据目录 {home} 不可用：{reason}", "data directory {home} cannot be used: {reason}"),
    "config.key_bad": (
        "密钥文件 {path} 已损坏（应为 64 位十六进制字符）",
        "key file {path} is damaged (expected 64 hexadecimal characters)",
    ),
    "config.key_mode": (
        "密钥文件 {path} 的权限为 {mode}，他人可读；请执行 chmod 600 {path}",
        "key file {path} has mode {mode} and is readable by others; run chmod 600 {path}",
    ),
    "init.done": ("已初始化数据目录 {home}（站点 {station}）", "initialised data directory {home} (station {station})"),
    "init.exists": (
        "数据目录 {home} 已初始化，未作改动",
        "data directory {home} is already initialised; nothing changed",
    ),
    # --- codes
    "code.empty": ("请输入码", "no code given"),
    "code.bad_chars": (
        "码中只能有数字、空格和短横线，发现 {chars!r}",
        "a code holds only digits, spaces and dashes; found {chars!r}",
    ),
    "code.bad_length": ("码应为 20 位数字，输入了 {n} 位", "a code has 20 digits; got {n}"),
    "code.bad_check": (
        "校验位不符：有数字输错或相邻两位颠倒",
        "check digit does not match: a digit is mistyped or two neighbours are swapped",
    ),
    "code.bad_check_hint": (
        "第 {positions} 位可能有误；您要输入的是否为 {suggestion}？",
        "position {positions} may be wrong; did you mean {suggestion}?",
    ),
    "code.bad_check_nohint": (
        "请逐位核对标签上的码",
        "compare the code digit by digit with the label",
    ),
    "code.bad_mac": (
        "不是本系统签发的码（防伪校验失败），可能是假冒",
        "not a code issued by this system (authenticity check failed); possibly counterfeit",
    ),
    "code.unknown_serial": (
        "防伪校验通过，但本站台账中没有此码（序号 {serial}）",
        "authenticity check passed, but this ledger has no such code (serial {serial})",
    ),
    "code.valid": ("有效", "valid"),
    "code.state": ("状态：{state}", "state: {state}"),
    "code.gtin_bad": ("GTIN {gtin} 无效：{reason}", "GTIN {gtin} is invalid: {reason}"),
    "code.capacity": (
        "序号已用尽：剩余 {left} 个，申请 {count} 个",
        "serial numbers exhausted: {left} left, {count} requested",
    ),
    "code.lot_bad": (
        "批号 {lot!r} 无效：1 到 20 个字符，只能用字母、数字和 GS1 允许的符号（不能有空格或汉字）",
        "lot {lot!r} is invalid: 1 to 20 letters, digits or GS1 symbols (no spaces, no Chinese)",
    ),
    # --- registry
    "enterprise.bad_credit_code": (
        "统一社会信用代码 {code} 无效：{reason}",
        "unified social credit code {code} is invalid: {reason}",
    ),
    "enterprise.duplicate": (
        "统一社会信用代码 {code} 已登记为企业 {id}",
        "credit code {code} is already registered as enterprise {id}",
    ),
    "enterprise.unknown": ("没有编号为 {id} 的企业", "no enterprise with id {id}"),
    "enterprise.name_empty": ("企业名称不能为空", "enterprise name must not be empty"),
    "enterprise.not_approved": (
        "企业 {id}（{name}）状态为“{status}”，只有已准入的企业可以领码",
        "enterprise {id} ({name}) is {status}; only approved enterprises can be issued codes",
    ),
    "enterprise.blacklisted": (
        "企业 {id}（{name}）已列入黑名单：{reason}",
        "enterprise {id} ({name}) is blacklisted: {reason}",
    ),
    "enterprise.bad_status_change": (
        "企业 {id} 当前状态为“{status}”，不能执行“{action}”",
        "enterprise {id} is {status}; cannot {action}",
    ),
    "enterprise.bad_licence": (
        "未知证照类型 {kinds}；可用：{allowed}",
        "unknown licence kind {kinds}; known: {allowed}",
    ),
    "enterprise.reason_needed": ("请填写原因（--reason）", "a reason is required (--reason)"),
    "product.unknown": ("没有编号为 {id} 的产品", "no product with id {id}"),
    "product.wrong_enterprise": (
        "产品 {product} 属于企业 {owner}，不属于企业 {enterprise}",
        "product {product} belongs to enterprise {owner}, not {enterprise}",
    ),
    "product.name_empty": ("产品名称不能为空", "product name must not be empty"),
    "product.bad_origin": (
        "产地编码 {origin} 无效：应为 {prefix} 开头的 12 位数字（县 6 位 + 乡镇 3 位 + 村 3 位）",
        "origin code {origin} is invalid: 12 digits starting with {prefix} (county 6 + township 3 + village 3)",
    ),
    "product.bad_shelf_life": (
        "保质期 {value} 无效：应为 1 到 3650 天",
        "shelf life {value} is invalid: 1 to 3650 days",
    ),
    "run.unknown": ("没有编号为 {id} 的打印任务", "no print run with id {id}"),
    "roll.unknown": ("没有卷号为 {id} 的标签卷", "no roll with id {id}"),
    "lot.unknown": ("没有编号为 {id} 的批次（生产批）", "no lot with id {id}"),
    "lot.duplicate": ("产品 {product} 已有批号 {number}", "product {product} already has lot {number}"),
    "lot.bad_date": ("生产日期 {value} 无效：应为 YYYY-MM-DD", "production date {value} is invalid: use YYYY-MM-DD"),
    "lot.not_inspected": (
        "批次 {number} 尚无合格的检测结果，不能放行",
        "lot {number} has no passing inspection; it cannot be released",
    ),
    "lot.not_released": (
        "批次 {number} 未放行（合格产品才准出），不能赋码",
        "lot {number} is not released (only passed lots may go out); codes cannot be bound to it",
    ),
    "lot.recalled": ("批次 {number} 已召回：{reason}", "lot {number} is recalled: {reason}"),
    "lot.already_inspected": (
        "批次 {number} 已放行，检测结果不能再改",
        "lot {number} is released; its inspection cannot change",
    ),
    "pickup.unknown": ("没有编号为 {id} 的领取记录", "no pickup with id {id}"),
    "pickup.undo_late": (
        "领取 {id} 已超过 {minutes} 分钟，不能撤销",
        "pickup {id} is older than {minutes} minutes; it cannot be undone",
    ),
    "pickup.undo_station": (
        "领取 {id} 由站点 {station} 办理，只能在该站点撤销",
        "pickup {id} was made at station {station}; undo it there",
    ),
    "pickup.undo_bound": (
        "领取 {id} 中已有码赋给批次，不能撤销",
        "codes of pickup {id} are already bound to a lot; it cannot be undone",
    ),
    "pickup.receiver_needed": ("请填写领取人姓名（--receiver）", "give the receiver's name (--receiver)"),
    "pickup.empty_scan": ("空扫描，请重扫", "empty scan; scan again"),
    "pickup.unreadable_scan": ("无法识别的扫描（{reason}），请重扫", "unreadable scan ({reason}); scan again"),
    "pickup.not_ours": ("这不是本站的卷首标签或追溯码", "this is not a roll header or a code of this station"),
    "pickup.scan_header": (
        "这是单张追溯标签；领取时请扫每卷的卷首标签",
        "this is a single code label; at pickup scan each roll's header label",
    ),
    "pickup.code_foreign": ("这个码不属于本企业", "this code belongs to another enterprise"),
    "pickup.code_voided": (
        "码 {code} 已作废：该标签不得使用，请撕下",
        "code {code} is voided: this label must not be used; remove it",
    ),
    "pickup.roll_unknown": ("没有卷号 {roll}", "there is no roll {roll}"),
    "pickup.roll_foreign": ("卷 {roll} 不属于本企业", "roll {roll} belongs to another enterprise"),
    "pickup.roll_twice": ("卷 {roll} 本次已扫过", "roll {roll} was already scanned in this pickup"),
    "pickup.roll_taken": ("卷 {roll} 已经领走", "roll {roll} has already been handed over"),
    "pickup.roll_unfinished": (
        "卷 {roll} 尚未打印完成或未全部验印",
        "roll {roll} is not finished or not fully verified",
    ),
    "pickup.roll_empty": ("卷 {roll} 没有合格标签", "roll {roll} has no good labels"),
    "pickup.roll_ok": (
        "卷 {roll}：{n} 枚，已登记（本次共 {rolls} 卷）",
        "roll {roll}: {n} labels, accepted ({rolls} rolls so far)",
    ),
    "pickup.done": (
        "领取单 {slip}：{rolls} 卷，{codes} 枚已交付 {receiver}",
        "pickup {slip}: {rolls} rolls, {codes} labels handed to {receiver}",
    ),
    "pickup.undone": ("领取 {id} 已撤销，相关码恢复为已验印", "pickup {id} undone; its codes are verified again"),
    "pickup.nothing": ("没有登记任何卷，未办理领取", "no roll was accepted; nothing handed over"),
    "pickup.finish_hint": ("扫描卷首标签；按回车结束", "scan roll headers; press Enter to finish"),
    "bind.need_range": ("请给出 --roll，或同时给出 --first 和 --last", "give --roll, or both --first and --last"),
    "bind.nothing": ("没有可赋码的已领取标签", "no handed-over labels to bind"),
    "bind.foreign": (
        "码 {code} 不属于该批次的企业或产品",
        "code {code} does not belong to the lot's enterprise and product",
    ),
    "bind.not_same_roll": ("首尾两个码须在同一卷上", "the first and last code must be on the same roll"),
    "bind.done": ("已将 {n} 个码赋给批次 {lot}", "bound {n} codes to lot {lot}"),
    "lot.added": ("已登记批次 {id}：{number}", "recorded lot {id}: {number}"),
    "lot.updated": ("批次 {id}：{what}", "lot {id}: {what}"),
    "order.unknown": ("没有编号为 {id} 的发码单", "no code order with id {id}"),
    "order.bad_count": (
        "数量 {count} 无效：每批 1 到 {max} 个",
        "count {count} is invalid: 1 to {max} codes per order",
    ),
    # --- ledger
    "ledger.illegal_transition": (
        "码 {code} 当前状态为“{state}”，不能执行“{action}”",
        "code {code} is {state}; cannot {action}",
    ),
    "ledger.unknown_code": ("台账中没有序号 {serial}", "no code with serial {serial} in the ledger"),
    "ledger.busy": (
        "台账正被另一个程序写入，请稍后重试",
        "the ledger is being written by another program; try again shortly",
    ),
    "ledger.schema_newer": (
        "台账版本 {found} 比本程序支持的 {supported} 新，请升级本程序",
        "ledger schema {found} is newer than this program supports ({supported}); upgrade the program",
    ),
    "ledger.unsupported_url": (
        "不支持的台账地址 {url}；可用：{allowed}",
        "unsupported ledger URL {url}; supported: {allowed}",
    ),
    "ledger.corrupt": ("台账文件 {path} 无法打开：{reason}", "ledger file {path} cannot be opened: {reason}"),
    "ledger.no_driver": (
        "PostgreSQL 台账需要 Python 包 {package}，请安装：pip install '{package}'（{reason}）",
        "a PostgreSQL ledger needs the Python package {package}; install it: pip install '{package}' ({reason})",
    ),
    "ledger.unreachable": (
        "无法连接台账数据库 {url}：{reason}；请检查地址、端口、用户名、密码，以及数据库服务器是否在运行",
        "cannot connect to the ledger database {url}: {reason}; check the address, port, user and password, "
        "and that the database server is running",
    ),
    "ledger.migrate_failed": (
        "台账结构无法从版本 {found} 升级到 {supported}：{reason}；共享数据库请由其所有者账号运行一次 `station init`",
        "the ledger schema could not be upgraded from version {found} to {supported}: {reason}; for a shared "
        "database, run `station init` once as the database's owner",
    ),
    "ledger.untranslatable": (
        "迁移 {version} 使用了 {what}，无法转换为 PostgreSQL：{statement}",
        "migration {version} uses {what}, which has no PostgreSQL translation: {statement}",
    ),
    "audit.ok": ("审计链完整：{n} 条事件，最后哈希 {head}", "audit chain intact: {n} events, head {head}"),
    "audit.broken": (
        "审计链在第 {id} 条事件处断裂：{reason}",
        "audit chain broken at event {id}: {reason}",
    ),
    "audit.reason.hash": ("内容与哈希不符（被修改）", "content does not match its hash (edited)"),
    "audit.reason.prev": (
        "前一哈希不符（事件被删除、插入或重排）",
        "previous-hash link does not match (an event was deleted, inserted or reordered)",
    ),
    "audit.reason.gap": ("缺少第 {missing} 条事件（被删除）", "event {missing} is missing (deleted)"),
    "audit.reason.state": (
        "{subject} 的当前状态与其事件记录不符（记录被绕过事件直接修改）",
        "the current state of {subject} does not match its events (a row was changed behind the log)",
    ),
    "audit.reason.head": (
        "链尾与记录的链头不符（末尾事件被删除或添加）",
        "chain end does not match the recorded head (events removed or added at the end)",
    ),
    # --- export
    "export.done": ("已导出 {n} 个码到 {path}", "exported {n} codes to {path}"),
    "export.bad_format": ("不支持的格式 {fmt}；可用：{allowed}", "unsupported format {fmt}; supported: {allowed}"),
    "export.needs_out": ("{fmt} 格式须用 --out 指定文件名", "the {fmt} format needs a file name: give --out"),
    "export.rows_done": ("已导出 {n} 行到 {path}", "exported {n} rows to {path}"),
    "export.lot_done": (
        "批次 {number}：{codes} 个码的追溯记录已导出到 {path}",
        "lot {number}: the trace of {codes} codes exported to {path}",
    ),
    "export.epcis_done": ("已导出 {n} 条 EPCIS 事件到 {path}", "exported {n} EPCIS events to {path}"),
    # column headings of the spreadsheet exports
    "export.col.code": ("追溯码", "code"),
    "export.col.code_grouped": ("追溯码（分组）", "code (grouped)"),
    "export.col.serial": ("序号", "serial"),
    "export.col.state": ("状态", "state"),
    "export.col.payload": ("二维码内容", "QR payload"),
    "export.col.order": ("发码单", "order"),
    "export.col.enterprise": ("企业", "enterprise"),
    "export.col.credit_code": ("统一社会信用代码", "credit code"),
    "export.col.product": ("产品", "product"),
    "export.col.gtin": ("GTIN", "GTIN"),
    "export.col.lot": ("批号", "lot"),
    "export.col.count": ("数量", "count"),
    "export.col.created": ("发码时间", "issued at"),
    "export.col.state_issued": ("已发码", "issued"),
    "export.col.state_printed": ("已打印", "printed"),
    "export.col.state_verified": ("已验印", "verified"),
    "export.col.state_voided": ("已作废", "voided"),
    "export.col.state_distributed": ("已领取", "distributed"),
    "export.col.state_bound": ("已赋码", "bound"),
    "export.col.state_recalled": ("已召回", "recalled"),
    "export.col.run": ("打印任务", "run"),
    "export.col.template": ("标签模板", "template"),
    "export.col.status": ("任务状态", "status"),
    "export.col.reason": ("原因", "reason"),
    "export.col.started": ("开始时间", "started"),
    "export.col.finished": ("结束时间", "finished"),
    "export.col.printed": ("打印数", "printed"),
    "export.col.verified": ("验印合格数", "verified"),
    "export.col.voided": ("作废数", "voided"),
    "export.col.rolls": ("卷数", "rolls"),
    "export.col.first_roll": ("首卷", "first roll"),
    "export.col.last_roll": ("末卷", "last roll"),
    "export.col.roll": ("卷号", "roll"),
    "export.col.position": ("卷内位置", "position"),
    "export.col.result": ("验印结果", "result"),
    "export.col.grade": ("等级分", "grade"),
    "export.col.letter": ("等级", "letter"),
    "export.col.parameters": ("检测参数", "parameters"),
    "export.col.time": ("时间", "time"),
    "export.col.operator": ("操作员", "operator"),
    "export.col.station": ("站点", "station"),
    "export.col.pickup": ("领取编号", "pickup"),
    "export.col.receiver": ("领取人", "receiver"),
    "export.col.roll_ids": ("卷号列表", "roll ids"),
    "export.col.codes": ("码数", "codes"),
    "export.col.undone": ("撤销时间", "undone at"),
    "export.col.undo_reason": ("撤销原因", "undo reason"),
    # --- states (code lifecycle)
    "state.issued": ("已发码", "issued"),
    "state.printed": ("已打印", "printed"),
    "state.verified": ("已验印", "verified"),
    "state.voided": ("已作废", "voided"),
    "state.distributed": ("已领取", "distributed"),
    "state.bound": ("已赋码", "bound"),
    "state.recalled": ("已召回", "recalled"),
    # --- lifecycle actions
    "action.print": ("打印", "print"),
    "action.verify": ("验印通过", "verify"),
    "action.reject": ("验印不合格", "reject"),
    "action.void": ("作废", "void"),
    "action.distribute": ("领取", "distribute"),
    "action.undistribute": ("撤销领取", "undo pickup"),
    "action.bind": ("赋码", "bind"),
    "action.recall": ("召回", "recall"),
    # --- enterprise status
    "estatus.pending": ("待审核", "pending review"),
    "estatus.approved": ("已准入", "approved"),
    "estatus.rejected": ("未准入", "rejected"),
    "eaction.approve": ("准入", "approve"),
    "eaction.reject": ("驳回", "reject"),
    "eaction.blacklist": ("列入黑名单", "blacklist"),
    "eaction.unblacklist": ("移出黑名单", "remove from blacklist"),
    # --- command output
    "cli.enterprise_added": (
        "已登记企业 {id}：{name}（待审核）",
        "registered enterprise {id}: {name} (pending review)",
    ),
    "cli.enterprise_updated": ("企业 {id}：{status}", "enterprise {id}: {status}"),
    "cli.blacklisted": ("黑名单", "blacklisted"),
    "cli.product_added": ("已登记产品 {id}：{name}", "registered product {id}: {name}"),
    "cli.issued": (
        "发码单 {order}：已发 {count} 个码，{first} … {last}，用时 {seconds} 秒",
        "order {order}: issued {count} codes, {first} … {last}, in {seconds} s",
    ),
    "cli.none": ("（无）", "(none)"),
    "cli.warning": ("警告", "warning"),
    "cli.col.title": ("标题", "title"),
    "cli.col.size": ("尺寸", "size"),
    "tpl.bad_limit": ("--limit 应为 1 到 10000", "--limit must be 1 to 10000"),
    "cli.col.id": ("编号", "id"),
    "cli.col.name": ("名称", "name"),
    "cli.col.credit_code": ("统一社会信用代码", "credit code"),
    "cli.col.status": ("状态", "status"),
    "cli.col.enterprise": ("企业", "enterprise"),
    "cli.col.origin": ("产地编码", "origin"),
    "cli.col.gtin": ("GTIN", "GTIN"),
    "cli.col.count": ("数量", "count"),
    "cli.col.product": ("产品", "product"),
    "cli.col.created": ("时间", "created"),
    "cli.lookup.code": ("码", "code"),
    "cli.lookup.state": ("状态", "state"),
    "cli.lookup.order": ("发码单", "order"),
    "cli.lookup.payload": ("二维码内容", "QR payload"),
    "cli.lookup.events": ("履历", "history"),
    "demo.home": ("演示数据目录：{home}", "demo data directory: {home}"),
    "demo.operators": ("演示登录：{who}", "demo sign-ins: {who}"),
    "demo.press_key": (
        "按任意键打开工作站界面（设备为模拟）…",
        "press any key to open the station app (emulated devices)…",
    ),
    "demo.printing": (
        "在模拟打印机上打印并验印发码单 {order}（标签图片在 {folder}）…",
        "printing and verifying order {order} on the emulated printer (label images in {folder}) …",
    ),
    "demo.try": (
        "试一试：\n"
        "  .venv/bin/station --home {home} enterprise list\n"
        "  .venv/bin/station --home {home} product list\n"
        "  .venv/bin/station --home {home} check {code}\n"
        "  .venv/bin/station --home {home} lookup {code}\n"
        "  .venv/bin/station --home {home} audit verify\n"
        "  .venv/bin/station --home {home} label render --code {code} --out label.png --preview\n"
        "  .venv/bin/station --help\n"
        "打印出的标签图片在 {home}/printed，不合格标签的标注图在 {home}/captures",
        "Try:\n"
        "  .venv/bin/station --home {home} enterprise list\n"
        "  .venv/bin/station --home {home} product list\n"
        "  .venv/bin/station --home {home} check {code}\n"
        "  .venv/bin/station --home {home} lookup {code}\n"
        "  .venv/bin/station --home {home} audit verify\n"
        "  .venv/bin/station --home {home} label render --code {code} --out label.png --preview\n"
        "  .venv/bin/station --help\n"
        "Printed label images are in {home}/printed, annotated pictures of rejects in {home}/captures",
    ),
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
        "或在设置 [labels] font 中指定字体文件",
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
    # --- devices
    "dev.bad_uri": (
        "设备地址 {uri} 无效：{reason}。示例：{examples}",
        "device address {uri} is invalid: {reason}. Examples: {examples}",
    ),
    "dev.missing_lib": (
        "使用 {uri} 需要安装 {package}（pip install {package}）",
        "{uri} needs {package} installed (pip install {package})",
    ),
    "dev.scanner_failed": ("扫码枪故障：{reason}", "scanner problem: {reason}"),
    "dev.camera_failed": ("摄像头故障：{reason}", "camera problem: {reason}"),
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
    "dev.scanner_none": ("没有配置扫码枪（设置 pickup.scanner）", "no scanner configured (setting pickup.scanner)"),
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
    "emu.camera_ready": (
        "虚拟摄像头已就绪：{url}，拍摄 {folder} 中最新的标签；按 Ctrl-C 停止",
        "virtual camera ready at {url}, filming the newest label in {folder}; Ctrl-C stops it",
    ),
    "emu.scanner_ready": ("虚拟扫码枪已就绪：{uri}；按 Ctrl-C 停止", "virtual scanner ready at {uri}; Ctrl-C stops it"),
    "emu.stopped": ("虚拟打印机已停止，共打印 {n} 张", "virtual printer stopped after {n} labels"),
    "emu.listen_failed": ("无法在 {uri} 监听：{reason}", "cannot listen on {uri}: {reason}"),
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
    "run.unseen": ("摄像头没拍到（画面太慢）", "not seen by the camera (frames too slow)"),
    "run.header_unseen": ("{roll}：摄像头没拍到卷头", "{roll}: not seen by the camera"),
    "run.dead_dot": ("打印头：第 {dot} 点不出墨（断针）", "print head: dead element at dot {dot}"),
    "run.in_a_row": ("连续 {n} 张不合格：{reason}", "{n} labels in a row failed: {reason}"),
    "why.no_code": ("读不到码", "no code read"),
    "why.wrong_code": ("码不对：读到 {payload}", "wrong code: read {payload}"),
    "why.low_grade": (
        "等级 {grade}（{letter}）低于 {min}：{parameter}",
        "grade {grade} ({letter}) below {min}: {parameter}",
    ),
    "why.join": ("；", ", "),
    "why.at_dot": ("第 {dot} 点", "at dot {dot}"),
    "why.at_box": ("位置 ({x}, {y}) 大小 {w}×{h} 点", "at ({x}, {y}), {w}×{h} dots"),
    "why.at_module": ("第 {row} 行第 {column} 列模块", "at module row {row}, column {column}"),
    "defect.dead_element": ("断针", "dead element"),
    "defect.void": ("缺墨", "void"),
    "defect.smear": ("污点", "smear"),
    "defect.code_text": ("数字码印坏", "damaged human-readable code"),
    "defect.faint": ("印色太淡", "faint print"),
    "defect.qr_modules": ("二维码模块错误", "wrong QR modules"),
    "run.status.done": ("完成", "done"),
    "run.status.paused": ("暂停", "paused"),
    "run.status.stopped": ("已停止", "stopped"),
    "run.status.running": ("进行中", "running"),
    # --- settings
    "settings.key": ("设置", "setting"),
    "settings.value": ("值", "value"),
    "settings.changed": ("已改", "changed"),
    "settings.allowed": ("可填", "accepts"),
    "settings.saved": ("已保存 {key} = {value}（{file}）", "saved {key} = {value} ({file})"),
    "settings.hint": (
        "选中一项，在下面输入新值后按回车保存；语言用 F12 切换，其余设置对下一项工作生效",
        "select a setting, type its new value below and press Enter; F12 switches the language, "
        "other settings apply to the next piece of work",
    ),
    # --- the dashboard
    "today.title": ("今日", "today"),
    "today.orders": ("发码单", "orders issued"),
    "today.printed": ("打印", "printed"),
    "today.verified": ("验印合格", "verified"),
    "today.voided": ("作废", "voided"),
    "today.distributed": ("领取", "handed over"),
    "today.bound": ("赋码", "bound to lots"),
    "alert.title": ("提醒", "alerts"),
    "alert.none": ("没有需要处理的事", "nothing needs attention"),
    "alert.run_paused": ("发码单 {order} 的打印暂停：{reason}", "printing of order {order} is paused: {reason}"),
    "alert.lot_recalled": ("批次 {number} 已召回：{reason}", "lot {number} is recalled: {reason}"),
    "alert.lot_failed": ("批次 {number} 检验不合格，尚未召回", "lot {number} failed inspection and is not recalled"),
    # --- operators
    "operator.bad_role": ("角色 {role} 无效；可用：{allowed}", "role {role} is invalid; roles: {allowed}"),
    "operator.bad_pin": ("PIN 应为 4 到 12 位数字", "a PIN is 4 to 12 digits"),
    "operator.bad_name": ("请填写操作员姓名", "give the operator's name"),
    "operator.exists": ("操作员 {name} 已存在", "operator {name} already exists"),
    "operator.bad_sign_in": ("姓名或 PIN 不对", "wrong name or PIN"),
    "operator.not_allowed": ("{role} 角色不能进行“{action}”", "the {role} role may not {action}"),
    "operator.added": ("已添加操作员 {name}（{role}）", "added operator {name} ({role})"),
    # --- the app
    "tui.title.dashboard": ("总览", "Home"),
    "tui.title.lookup": ("查码", "Lookup"),
    "tui.title.issue": ("发码", "Issue"),
    "tui.title.sign_in": ("登录", "Sign in"),
    "tui.title.enterprises": ("企业", "Enterprises"),
    "tui.title.run": ("打印", "Print"),
    "tui.title.pickup": ("领取", "Pickup"),
    "tui.name": ("姓名", "name"),
    "tui.reason": ("原因（拉黑、驳回时必填）", "reason (needed to blacklist or reject)"),
    "tui.title.qc": ("质检", "QC"),
    "tui.title.lots": ("批次", "Lots"),
    "tui.title.devices": ("设备", "Devices"),
    "tui.title.settings": ("设置", "Settings"),
    "tui.title.queries": ("查询", "Queries"),
    "tui.reports": ("消费者举报（最新在前）", "consumer reports (newest first)"),
    "tui.new_product": ("新产品", "New product"),
    "tui.order_no": ("发码单", "order"),
    "tui.to_print": ("待打印", "to print"),
    "tui.rolls_waiting": ("待领卷数", "rolls waiting"),
    "tui.virtual_scan": ("模拟扫码枪扫下一卷", "virtual scanner: next roll"),
    "tui.type_instead": ("可在扫码栏输入或用键盘式扫码枪", "type into the scan field or use a keyboard-wedge scanner"),
    "pickup.no_rolls_left": ("这家企业没有可领取的卷了", "this enterprise has no more rolls to collect"),
    "tui.test_scan": ("测试扫码", "Test scan"),
    "tui.camera_view": ("实时画面", "Camera view"),
    "tui.product_name": ("产品名称", "product name"),
    "tui.product_origin": ("产地编码（12 位）", "origin code (12 digits)"),
    "tui.product_certs": ("认证（用、分隔）", "certifications (comma-separated)"),
    "tui.product_shelf": ("保质期（天）", "shelf life (days)"),
    "tui.test_print": ("打印测试", "Test print"),
    "tui.kind": ("类别", "kind"),
    "tui.device": ("设备", "device"),
    "tui.lot_note": ("检验报告编号或召回原因（召回时必填）", "inspection report or recall reason (needed to recall)"),
    "cli.col.lot": ("批号", "lot"),
    "cli.col.production_date": ("生产日期", "production date"),
    "lstatus.none": ("未检验", "not inspected"),
    "lstatus.pass": ("检验合格", "inspection passed"),
    "lstatus.fail": ("检验不合格", "inspection failed"),
    "lstatus.released": ("已准出", "released"),
    "lstatus.recalled": ("已召回：{reason}", "recalled: {reason}"),
    "laction.pass": ("检验合格", "Pass"),
    "laction.fail": ("检验不合格", "Fail"),
    "laction.release": ("准出", "Release"),
    "laction.recall": ("召回", "Recall"),
    "lot.recalled_codes": (
        "批次 {id} 已召回：{count} 个码查询时将提示召回",
        "lot {id} recalled: {count} codes now report the recall",
    ),
    "tui.grade": ("等级", "grade"),
    "tui.pass": ("合格", "pass"),
    "param.decode": ("译码", "decode"),
    "param.symbol_contrast": ("符号反差", "symbol contrast"),
    "param.modulation": ("调制比", "modulation"),
    "param.reflectance_margin": ("反射率余量", "reflectance margin"),
    "param.fixed_pattern_damage": ("固定图形损伤", "fixed pattern damage"),
    "param.axial_nonuniformity": ("轴向不均匀", "axial nonuniformity"),
    "param.grid_nonuniformity": ("网格不均匀", "grid nonuniformity"),
    "param.unused_error_correction": ("未用纠错", "unused error correction"),
    "tui.fail": ("不合格", "fail"),
    "tui.no_picture": ("（没有图片）", "(no picture)"),
    "tui.stop": ("停止", "Stop"),
    "tui.stopping": ("正在停止：检查完已发出的标签后停下…", "stopping after the labels already sent are checked…"),
    "tui.order_id": ("发码单编号（回车开始打印）", "order id (Enter starts printing)"),
    "tui.roll": ("卷", "roll"),
    "tui.why": ("原因", "reason"),
    "tui.receiver": ("领取人姓名", "receiver's name"),
    "tui.refresh": ("刷新", "Refresh"),
    "tui.language": ("English", "中文"),
    "tui.quit": ("退出", "Quit"),
    "tui.code_placeholder": ("输入或扫描 20 位码，回车查询", "type or scan the 20-digit code, Enter to look up"),
    "tui.event": ("事件", "event"),
    "tui.who": ("操作人@站点", "operator@station"),
    "tui.enterprise_id": ("企业编号", "enterprise id"),
    "tui.product_id": ("产品编号", "product id"),
    "tui.count": ("数量（回车发码）", "count (Enter issues)"),
    # --- the consumer query service (station serve)
    "query.title": ("农产品追溯防伪查询", "Produce traceability check"),
    "query.status.genuine": ("正品 · 防伪码验证通过", "Genuine · the code checks out"),
    "query.status.repeated": ("请注意：此码已被多次查询", "Caution: this code has been queried many times"),
    "query.status.blacklisted": ("请注意：生产企业已被列入黑名单", "Caution: the producer is blacklisted"),
    "query.status.recalled": ("此产品所在批次已召回，请停止食用", "This product's lot is recalled: do not eat it"),
    "query.status.undistributed": (
        "请注意：此码尚未发放给生产企业，谨防假冒",
        "Caution: this code was never handed to a producer; beware of counterfeits",
    ),
    "query.status.voided": ("此码已作废，谨防假冒", "This code was voided; beware of counterfeits"),
    "query.status.unknown": ("您查询的码不存在，谨防假冒", "This code does not exist; beware of counterfeits"),
    "query.status.forged": (
        "您查询的码不存在（防伪校验未通过），谨防假冒",
        "This code does not exist (it fails the authenticity check); beware of counterfeits",
    ),
    "query.status.check_digit": ("码的校验位不符，可能输错了", "The check digit does not match: probably a typo"),
    "query.status.malformed": ("请输入标签上的 20 位防伪码", "Enter the 20-digit code printed on the label"),
    "query.first": ("您是第一次查询此码", "This is the first query of this code"),
    "query.nth": (
        "此码已被查询 {n} 次，首次查询时间 {first}",
        "This code has been queried {n} times, first at {first}",
    ),
    "query.hint": ("您要查询的是否为下面这个码？", "Did you mean this code?"),
    "query.nohint": ("请逐位核对标签上的码", "compare the code digit by digit with the label"),
    "query.hint_positions": ("第 {positions} 位可能有误", "position {positions} may be wrong"),
    "query.warn.repeated": (
        "此码已被查询 {n} 次，首次查询时间 {first}，谨防假冒",
        "this code has been queried {n} times, first at {first}; beware of counterfeits",
    ),
    "query.warn.voided": (
        "此码属于印刷时作废的标签，不应出现在任何商品上",
        "this code belongs to a label spoiled and voided at printing; it should be on no product",
    ),
    "query.warn.recalled": ("批次 {number} 已召回：{reason}", "lot {number} is recalled: {reason}"),
    "query.warn.blacklisted": (
        "生产企业 {name} 已被列入黑名单：{reason}",
        "the producer {name} is blacklisted: {reason}",
    ),
    "query.warn.undistributed": (
        "此码尚未交付生产企业，不应出现在商品上",
        "this code has not been handed to a producer yet; it should be on no product",
    ),
    "query.warn.anomaly": (
        "此码曾在短时间内于相距较远的不同网络被查询，可能被复制，请核对包装",
        "this code was queried from far-apart networks within a short time and may have been copied; check the package",
    ),
    "query.warn.link": (
        "标签链接中的商品条码或批号与此码不符，谨防假冒",
        "the product barcode or lot in the label's link does not match this code; beware of counterfeits",
    ),
    "query.f.code": ("防伪码", "code"),
    "query.f.product": ("产品", "product"),
    "query.f.producer": ("生产企业", "producer"),
    "query.f.credit_code": ("统一社会信用代码", "credit code"),
    "query.f.origin": ("产地编码", "origin code"),
    "query.f.certs": ("认证", "certification"),
    "query.f.shelf_life": ("保质期", "shelf life"),
    "query.f.gtin": ("商品条码", "GTIN"),
    "query.f.lot": ("批号", "lot"),
    "query.f.date": ("生产日期", "production date"),
    "query.f.quantity": ("数量/规格", "quantity"),
    "query.f.records": ("生产、加工记录", "production and processing records"),
    "query.f.inspection": ("检验结果", "inspection"),
    "query.f.report": ("检验报告", "inspection report"),
    "query.f.release": ("准出", "release"),
    "query.v.days": ("{n} 天", "{n} days"),
    "query.v.pass": ("合格", "passed"),
    "query.v.fail": ("不合格", "failed"),
    "query.v.untested": ("尚未检验", "not inspected yet"),
    "query.v.released": ("已准出（合格产品准出）", "released (passed products only)"),
    "query.v.not_released": ("未准出", "not released"),
    "query.v.no_lot": ("此码尚未关联生产批次", "this code is not yet bound to a production lot"),
    "query.form.label": ("请输入标签上的 20 位防伪码", "Enter the 20-digit code printed on the label"),
    "query.form.submit": ("查询", "Check"),
    "query.form.intro": (
        "扫描标签上的二维码，或在下面输入二维码旁的 20 位数字，即可查询产品来源、生产企业和检验结果。",
        "Scan the QR code on the label, or type the 20 digits printed next to it, to see the product's origin, "
        "producer and inspection.",
    ),
    "query.another": ("查询其他码", "Check another code"),
    "query.other_lang": ("English", "中文"),
    "query.report.title": ("举报假冒或质量问题（失信行为举报）", "Report a counterfeit or a quality problem"),
    "query.report.kind": ("举报类型", "kind"),
    "query.report.counterfeit": ("疑似假冒", "suspected counterfeit"),
    "query.report.quality": ("质量问题", "quality problem"),
    "query.report.other": ("其他", "other"),
    "query.report.text": ("情况说明（购买地点、时间、问题）", "what happened (where and when bought, the problem)"),
    "query.report.contact": ("联系方式（选填）", "contact (optional)"),
    "query.report.submit": ("提交举报", "Send report"),
    "query.report.done": (
        "举报已收到，编号 {id}。监管部门会核实处理，谢谢您！",
        "Report received, number {id}. The office will look into it. Thank you!",
    ),
    "query.report.bad": (
        "请选择举报类型，并填写情况说明（不超过 {text} 字；联系方式不超过 {contact} 字）",
        "choose a kind and describe what happened (at most {text} characters; contact at most {contact})",
    ),
    "query.limited": (
        "查询过于频繁，请 {seconds} 秒后再试",
        "Too many requests; please try again in {seconds} seconds",
    ),
    "query.too_large": ("提交的内容太长", "what was sent is too long"),
    "query.not_found": ("没有这个页面", "no such page"),
    "query.footer": (
        "农产品追溯防伪 · 查询结果以本系统记录为准",
        "Produce traceability · answers come from the register",
    ),
    "query.schema_old": (
        "台账 {path} 的版本 {found} 太旧（查询服务需要 {needed}）：请先在工作站上运行一次 station 以升级台账",
        "ledger {path} has schema {found}, too old for the query service (needs {needed}); run station once at "
        "the workstation to upgrade it",
    ),
    "query.serving": (
        "查询服务已启动：http://{listen}/ ，标签二维码指向 {base_url}/… ；按 Ctrl+C 停止",
        "query service listening on http://{listen}/ ; labels point to {base_url}/… ; Ctrl+C stops it",
    ),
    "query.since_bad": (
        "--since {value} 无效：应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM（本地时间）",
        "--since {value} is invalid: use YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)",
    ),
    "query.cli.stats": (
        "今日查询 {today} 次，累计 {total} 次；今日无效码查询 {failed_today} 次（累计 {failed_total}）；"
        "异常 {anomalies_today} 起（累计 {anomalies_total}）；举报 今日 {reports_today} 条（累计 {reports_total}）",
        "queries today {today}, in all {total}; unknown or invalid codes today {failed_today} (in all "
        "{failed_total}); anomalies today {anomalies_today} (in all {anomalies_total}); reports today "
        "{reports_today} (in all {reports_total})",
    ),
    "query.cli.top": ("查询最多的码", "most-queried codes"),
    "query.cli.anomalies": ("最近的异常", "recent anomalies"),
    "query.h.id": ("编号", "id"),
    "query.h.time": ("时间", "time"),
    "query.h.kind": ("类型", "kind"),
    "query.h.code": ("码", "code"),
    "query.h.network": ("网络", "network"),
    "query.h.contact": ("联系方式", "contact"),
    "query.h.text": ("说明", "text"),
    "query.h.queries": ("查询次数", "queries"),
    "query.h.first": ("首次查询", "first"),
    "query.h.last": ("最近查询", "last"),
    "query.h.anomalies": ("异常", "anomalies"),
    "query.h.previous_network": ("上次网络", "previous network"),
    "query.h.previous_time": ("上次时间", "previous time"),
    # --- generic
    "error.prefix": ("错误", "error"),
    "error.os": ("文件或设备操作失败：{reason} {path}", "a file or device operation failed: {reason} {path}"),
    "error.unexpected": (
        "意外故障（{kind}：{reason}）；请把这行信息告诉技术人员",
        "unexpected failure ({kind}: {reason}); please pass this line to technical support",
    ),
    "ledger.io": ("台账读写失败：{reason}", "the ledger could not be read or written: {reason}"),
    "export.is_dir": ("{path} 是文件夹；请给出文件名", "{path} is a folder; give a file name"),
}

_language = os.environ.get("STATION_LANG", "zh") if os.environ.get("STATION_LANG") in LANGUAGES else "zh"


def set_language(lang: str) -> None:
    """Choose the language of every later text ("zh" or "en")."""
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _language = lang


def language() -> str:
    """The language texts are currently given in."""
    return _language


def t(text_key: str, /, **params: object) -> str:
    """The text for ``text_key`` in the current language, with ``params`` filled in."""
    zh, en = TEXTS[text_key]
    template = zh if _language == "zh" else en
    return template.format(**params)
