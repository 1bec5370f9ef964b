"""Texts of the registry, codes, ledger, exports and command output: what a clerk meets at the office desk."""

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
    "config.line_twice": (
        "打印线路重复：{kind} {uri} 出现两次（[printer] uri、[verify] camera 与 [printer] more_lines 中"
        "每条线路各用自己的打印机和摄像头）",
        "a print line named twice: {kind} {uri} (each line in [printer] uri, [verify] camera and [printer] "
        "more_lines has its own printer and camera)",
    ),
    "line.printer": ("打印机", "printer"),
    "line.camera": ("摄像头", "camera"),
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
    "backup.passphrase": ("备份口令", "backup passphrase"),
    "backup.passphrase_needed": (
        "需要备份口令：在终端中按提示输入，或在脚本中设置环境变量 {variable}",
        "a passphrase is needed: type it when asked in a terminal, or set {variable} for a script",
    ),
    "backup.weak_passphrase": (
        "备份口令至少要 {length} 个字符",
        "a backup passphrase needs at least {length} characters",
    ),
    "backup.exists": (
        "{path} 已存在，备份不会覆盖它；请换一个文件名",
        "{path} exists and a backup never overwrites: choose another name",
    ),
    "backup.not_a_backup": ("这不是本工作站的备份文件", "this is not a station backup file"),
    "backup.wrong_passphrase": (
        "备份口令不对（或文件已损坏），什么也没有恢复",
        "wrong passphrase (or a damaged file): nothing was restored",
    ),
    "backup.damaged": (
        "备份文件已损坏或被截断，什么也没有恢复",
        "the backup file is damaged or cut short: nothing was restored",
    ),
    "backup.unreadable": ("读不了备份文件 {path}：{reason}", "cannot read the backup {path}: {reason}"),
    "backup.target_in_use": (
        "{home} 已有台账或密钥；确要用备份替换时加 --replace（原文件会保留为 *.before-restore）",
        "{home} already has a ledger or key: add --replace to replace them (old files kept as *.before-restore)",
    ),
    "backup.key_mismatch": (
        "备份里的密钥与台账不符，什么也没有恢复",
        "the backup's key is not its ledger's: nothing was restored",
    ),
    "backup.chain_broken": (
        "备份里的台账审计链在事件 {id} 处断开，什么也没有恢复",
        "the backup's ledger fails its audit at event {id}: nothing was restored",
    ),
    "backup.done": (
        "已写入加密备份 {path}（{events} 条事件，链头 {head}…）；请把它和口令分开存放在工作站以外",
        "encrypted backup written to {path} ({events} events, chain head {head}…): keep it, and the passphrase apart "
        "from it, away from the station",
    ),
    "backup.postgres": (
        "台账在 PostgreSQL 中：备份只含密钥和设置，台账请用 pg_dump 备份",
        "the ledger is in PostgreSQL: this backup holds the key and the settings; back the ledger up with pg_dump",
    ),
    "backup.restored": (
        "已恢复到 {home}：站点 {station} 于 {made} 的备份，{events} 条事件，审计链完整",
        "restored into {home}: station {station}'s backup of {made}, {events} events, audit chain intact",
    ),
    "order.lot_unknown": (
        "产品 {product} 没有批次 {lot}：请先登记批次（station lot add）",
        "product {product} has no lot {lot}: record it first (station lot add)",
    ),
    "order.lot_not_released": (
        "批次 {lot} 尚未放行（检验合格并放行后才能按批次发码；设置“可为未准出批次发码”可放开）",
        "lot {lot} is not released yet (inspect and release it first, or allow codes.issue_unreleased_lots)",
    ),
    "input.empty": ("{field}不能为空", "{field} must not be empty"),
    "input.bad_char": (
        "{field}含有不可见字符或控制字符 {char}（第 {position} 个字符），请删去后重新输入",
        "{field} holds an invisible or control character {char} (character {position}): remove it and type it again",
    ),
    "input.too_long": (
        "{field}太长：{length} 个字符，最多 {limit} 个",
        "{field} is too long: {length} characters, at most {limit}",
    ),
    "input.same_as": (
        "{field}与已有的“{name}”（编号 {id}）看起来相同，请勿重复登记",
        "{field} reads as the existing “{name}” (id {id}): it is not registered twice",
    ),
    "input.same_as_name": (
        "{field}与已有的“{name}”看起来相同，请勿重复登记",
        "{field} reads as the existing “{name}”: it is not registered twice",
    ),
    "field.enterprise_name": ("企业名称", "the enterprise name"),
    "field.contact": ("联系方式", "the contact"),
    "field.licence": ("证照编号", "the licence"),
    "field.qualification": ("资质", "the qualification"),
    "field.product_name": ("产品名称", "the product name"),
    "field.certification": ("产品认证", "the certification"),
    "field.operator_name": ("操作员姓名", "the operator's name"),
    "field.receiver": ("领取人姓名", "the receiver's name"),
    "field.reason": ("原因", "the reason"),
    "field.quantity": ("数量或规格", "the quantity"),
    "field.record": ("生产记录", "the record"),
    "init.tightened": (
        "其他用户原本可以读取以下文件或目录，现已改为仅本用户可用：{paths}",
        "others could read these, now only this user can: {paths}",
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
    "product.unknown_origin": (
        "产地编码 {origin} 的县或乡镇不在行政区划数据中（{data}）：请核对统计用区划代码",
        "origin code {origin}: its county or township is not in the division data ({data}); check the code",
    ),
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
    "pickup.roll_held": (
        "卷 {roll} 已在另一次领取（编号 {pickup}）中领走，本次领取未记录；请去掉该卷后重新结束领取",
        "roll {roll} was handed over in another pickup (id {pickup}); this pickup was not recorded: remove the roll "
        "and finish again",
    ),
    "pickup.already_undone": ("领取 {id} 已于 {at} 撤销过", "pickup {id} was already undone at {at}"),
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
    "audit.reason.row_extra": (
        "{table} 中的行 {row} 没有对应的事件（绕过事件插入）",
        "row {row} of {table} has no event that made it (inserted behind the log)",
    ),
    "audit.reason.row_missing": (
        "事件记录了 {table} 中的行 {row}，但该行已不存在（被删除）",
        "the events made row {row} of {table}, and it is gone (deleted)",
    ),
    "audit.reason.column": (
        "{table} 表第 {row} 行 {column} 列：事件记录为 {expected}，当前为 {found}（记录被绕过事件直接修改）",
        "{table} row {row}, column {column}: the events say {expected}, the row has {found} (changed behind the log)",
    ),
    "audit.rows_broken": ("表中记录与审计链不符：{reason}", "a table disagrees with the audit chain: {reason}"),
    "audit.reason.anchor_forged": (
        "链头记录不是本站签发的（密钥不符或文件被改动）",
        "the head record was not written by this station (wrong key, or the file was changed)",
    ),
    "audit.reason.anchor_truncated": (
        "链在链头记录之前就结束了（记录之后的事件被删除）",
        "the chain ends before the head record (events after it were removed)",
    ),
    "audit.reason.anchor_rewritten": (
        "链中该事件的哈希与链头记录不符（事件被重写）",
        "the chain's hash at this event differs from the head record (events were rewritten)",
    ),
    "audit.anchors_ok": ("已核对 {n} 份链头记录", "{n} head record(s) checked"),
    "audit.anchor_line": ("审计链头 {line} {at}", "audit head {line} {at}"),
    "audit.anchor_written": ("链头记录已写入 {path}，请另处保存", "head record written to {path}; keep it elsewhere"),
    "audit.anchor_unreadable": ("无法读取链头记录 {path}", "cannot read the head record {path}"),
    "audit.slip_unreadable": (
        "无法识别小票上的链头：{text}（应为 #编号 加至少 16 位十六进制哈希）",
        "cannot read the head from the slip: {text} (expected #id and at least 16 hex digits of the hash)",
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
    "cli.product_edited": ("已更正产品 {id}：{fields}", "corrected product {id}: {fields}"),
    "cli.product_unchanged": ("产品 {id} 没有改动", "product {id} is unchanged"),
    "cli.product_field.name": ("名称", "name"),
    "cli.product_field.origin_code": ("产地编码", "origin code"),
    "cli.product_field.certifications": ("产品认证", "certifications"),
    "cli.product_field.shelf_life_days": ("保质期", "shelf life"),
    "cli.product_field.gtin": ("GTIN", "GTIN"),
    "cli.licence_form": (
        "格式为 种类:证号[:有效期至]，例如 business:91532323MA6N0FRU1E:2028-06-30",
        "KIND:NUMBER[:EXPIRY], e.g. business:91532323MA6N0FRU1E:2028-06-30",
    ),
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
    # --- generic
    "error.line": ("错误：{message}", "error: {message}"),
    "error.os": ("文件或设备操作失败：{reason} {path}", "a file or device operation failed: {reason} {path}"),
    "error.unexpected": (
        "意外故障（{kind}：{reason}）；请把这行信息告诉技术人员",
        "unexpected failure ({kind}: {reason}); please pass this line to technical support",
    ),
    "ledger.io": ("台账读写失败：{reason}", "the ledger could not be read or written: {reason}"),
    "export.is_dir": ("{path} 是文件夹；请给出文件名", "{path} is a folder; give a file name"),
    "roll.check_meant": (
        "卷号 {roll} 有一个字符不对（校验位不符），多半是扫错或抄错了一位；是不是 {meant}？请再扫一次卷标",
        "roll id {roll} has one character wrong (its check digit does not match), probably misread or mistyped; "
        "did you mean {meant}? Scan the roll label again",
    ),
    "roll.check_wrong": (
        "卷号 {roll} 有一个字符不对（校验位不符），多半是扫错或抄错了一位；请再扫一次卷标或逐位核对",
        "roll id {roll} has one character wrong (its check digit does not match), probably misread or mistyped; "
        "scan the roll label again or check it digit by digit",
    ),
    "roll.old_unknown": (
        "没有卷号 {roll}：卷号是 R 加 11 位数字（最后一位是校验位），请核对是否少了一位",
        "there is no roll {roll}: a roll id is R and 11 digits (the last a check digit); check for a missing digit",
    ),
    "roll.not_an_id": (
        "{roll} 不是卷号：卷号是 R 加 11 位数字，印在卷标上",
        "{roll} is not a roll id: a roll id is R and 11 digits, printed on the roll label",
    ),
    "roll.still_open": (
        "卷 {id} 还没打完，卷标要等全卷验印合格后才打印",
        "roll {id} is not complete yet: its label prints once all its labels are verified",
    ),
    "roll.reprint_mark": ("补打", "reprint"),
    "pickup.roll_no_header": (
        "卷 {roll} 已打完但卷标还没打出：继续该订单的打印（station run --order … --resume）会补打卷标",
        "roll {roll} is complete but its label has not printed: continuing the order's run "
        "(station run --order … --resume) prints it",
    ),
    "certificate.issued": (
        "已为批次 {lot} 打印 {n} 张承诺达标合格证：{first} … {last}",
        "{n} certificates printed for lot {lot}: {first} … {last}",
    ),
    "certificate.lot_not_released": (
        "批次 {number} 尚未放行：合格证只为检验合格并放行的批次开具",
        "lot {number} is not released: certificates are issued only for lots that passed inspection and were released",
    ),
    "certificate.bad_count": ("合格证张数 {count} 无效：应为 1–{max}", "certificate count {count}: give 1–{max}"),
    "certificate.print_failed": (
        "合格证打印中断：{count} 张中已打印 {printed} 张；{number} 已登记，但可能没有打出（{reason}）。"
        "请核对打出的合格证，修好打印机后再为余下的开具",
        "certificate printing stopped: {printed} of {count} printed; {number} is recorded but may not have printed "
        "({reason}). Check the printed certificates against the record and issue the rest once the printer works",
    ),
    "certificate.bad_number": (
        "{number} 不是合格证编号：应为 HG 加 9 位数字",
        "{number} is not a certificate number: HG and 9 digits",
    ),
    "certificate.bad_check": (
        "合格证编号 {number} 的校验位不对：请核对是否抄错一位或两位颠倒",
        "certificate number {number} fails its check digit: a digit mistyped or two swapped",
    ),
    "certificate.unknown": ("没有编号为 {number} 的合格证", "no certificate is numbered {number}"),
    "export.col.certificate": ("合格证编号", "certificate"),
    "export.col.lot_id": ("批次编号", "lot id"),
    "export.col.origin_place": ("产地", "origin"),
    "export.col.printer": ("打印机", "printer"),
    "cli.lookup.certificate": ("承诺达标合格证", "certificate"),
    "cli.lookup.lot": ("批次", "lot"),
}
