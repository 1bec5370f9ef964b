"""Texts of voids (作废) and reprints (补打): refusals, confirmations, results, the app's screen, event names."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- refusals
    "void.printing": (
        "发码单 {order} 正在打印（打印任务 {run}）；请先停止打印，再作废或补打",
        "order {order} is being printed (run {run}); stop the run first, then void or reprint",
    ),
    "void.order_cancelled": (
        "发码单 {order} 已作废（原因：{reason}），不再打印",
        "order {order} was cancelled ({reason}); it prints nothing more",
    ),
    "void.order_all_printed": (
        "发码单 {order} 的码都已打印，没有未打印的码可作废；请按卷或逐个作废已打印的码",
        "every code of order {order} is printed: none is left to cancel; void its rolls or single codes instead",
    ),
    "void.roll_voided": (
        "标签卷 {roll} 已作废（原因：{reason}）",
        "roll {roll} was voided before ({reason})",
    ),
    "void.roll_nothing": (
        "标签卷 {roll} 上没有可作废的码：{labels} 枚标签都已作废或召回",
        "roll {roll} holds no code to void: its {labels} labels are all voided or recalled",
    ),
    "void.roll_unprinted": (
        "标签卷 {roll} 上还没有打印任何标签，没有可作废的码",
        "no label is printed on roll {roll} yet: it holds no code to void",
    ),
    "void.no_codes": ("请给出要作废的码", "give the codes to void"),
    "void.code_voided": ("码 {code} 已作废，无需再作废", "code {code} is voided already"),
    "void.code_recalled": (
        "码 {code} 所在批次已召回，召回的码不再作废（查询时已显示召回）",
        "code {code} is recalled; a recalled code is not voided (queries already report the recall)",
    ),
    # --- confirmations and results
    "void.confirm.order": (
        "作废发码单 {subject}（{enterprise}，{product}）？尚未打印的 {count} 枚码作废，此单不再打印；"
        "已打印的 {kept} 枚不变。原因：{reason}。作废不能撤销。",
        "Cancel order {subject} ({enterprise}, {product})? Its {count} codes not yet printed are voided and it prints "
        "nothing more; the {kept} printed codes stay. Reason: {reason}. A void cannot be undone.",
    ),
    "void.confirm.roll": (
        "作废标签卷 {subject}（{enterprise}，{product}）上的 {count} 枚码？此后查询这些码都显示已作废。"
        "原因：{reason}。作废不能撤销。",
        "Void the {count} codes on roll {subject} ({enterprise}, {product})? Every query of them will say voided. "
        "Reason: {reason}. A void cannot be undone.",
    ),
    "void.confirm.codes": (
        "作废 {count} 枚码（{subject}）？此后查询都显示已作废。原因：{reason}。作废不能撤销。",
        "Void {count} codes ({subject})? Every query of them will say voided. Reason: {reason}. "
        "A void cannot be undone.",
    ),
    "void.done.order": (
        "发码单 {subject} 已作废：{count} 枚未打印的码作废，已打印的 {kept} 枚不变",
        "order {subject} cancelled: {count} codes not yet printed voided, the {kept} printed ones stay",
    ),
    "void.done.roll": ("标签卷 {subject} 已作废：{count} 枚码作废", "roll {subject} voided: {count} codes voided"),
    "void.done.codes": ("已作废 {count} 枚码：{subject}", "{count} codes voided: {subject}"),
    "void.ask": ("确认？", "Go ahead?"),
    "void.lookup_line": ("作废: {at} {reason}", "voided: {at} {reason}"),
    # --- reprints
    "reprint.confirm.header": (
        "补打标签卷 {roll} 的卷首标签？纸上印“补打”和补打时间。原因：{reason}",
        "Reprint the header of roll {roll}? The paper says 补打 (reprint) with the time. Reason: {reason}",
    ),
    "reprint.confirm.slip": (
        "补打领取单 {slip}？纸上印“补打”和补打时间。原因：{reason}",
        "Reprint pickup slip {slip}? The paper says 补打 (reprint) with the time. Reason: {reason}",
    ),
    "reprint.done.header": ("已补打标签卷 {roll} 的卷首标签（{at}）", "header of roll {roll} reprinted ({at})"),
    "reprint.done.slip": ("已补打领取单 {slip}（{at}）", "pickup slip {slip} reprinted ({at})"),
    "reprint.roll_voided": (
        "标签卷 {roll} 已作废（原因：{reason}），不补打卷首标签",
        "roll {roll} was voided ({reason}); its header is not reprinted",
    ),
    "reprint.roll_empty": (
        "标签卷 {roll} 上没有有效的标签，不补打卷首标签",
        "roll {roll} holds no good label; its header is not reprinted",
    ),
    "reprint.pickup_undone": ("领取单 {slip} 已撤销，不补打", "pickup slip {slip} was undone; it is not reprinted"),
    "reprint.no_slip_printer": (
        "没有设置领取单打印机（设置“领取单打印机地址”，或用 --slip-printer 指定）",
        "no pickup slip printer is set (the setting pickup.slip_printer, or --slip-printer)",
    ),
    "tpl.no_reprint_place": (
        "模板 {template} 没有显示打印日期（print.date）的文字，无处印“补打”，不能补打",
        "template {template} has no text showing the print date (print.date): there is no room for 补打, so it "
        "cannot be reprinted",
    ),
    # --- the consumer query page
    "query.warn.voided_office": (
        "此码已于 {at} 作废：{reason}。不应出现在任何商品上",
        "this code was voided on {at}: {reason}. It should be on no product",
    ),
    "query.warn.voided_cancelled": (
        "此码所属的发码单已于 {at} 作废：{reason}。此码从未打印，不应出现在任何商品上",
        "this code's order was cancelled on {at}: {reason}. The code was never printed and should be on no product",
    ),
    # --- exports
    "export.col.void_reason": ("作废原因", "void reason"),
    "export.col.voided_at": ("作废时间", "voided at"),
    # --- the app
    "tui.title.voids": ("作废与补打", "Voids and reprints"),
    "permission.void": ("作废与补打", "void and reprint"),
    "vtui.what": ("要做什么", "what to do"),
    "vtui.kind.order": ("作废发码单（未打印的码）", "cancel an order (codes not yet printed)"),
    "vtui.kind.roll": ("作废标签卷（丢失或被盗）", "void a roll (lost or stolen)"),
    "vtui.kind.codes": ("作废单个码", "void single codes"),
    "vtui.kind.header": ("补打卷首标签", "reprint a roll header"),
    "vtui.kind.slip": ("补打领取单", "reprint a pickup slip"),
    "vtui.target.order": ("发码单号", "order id"),
    "vtui.target.roll": ("卷号（扫描卷首标签，或输入 R…）", "roll id (scan the header, or type R…)"),
    "vtui.target.codes": ("码（扫描或输入，多个用空格或逗号隔开）", "codes (scan or type; spaces or commas between)"),
    "vtui.target.header": ("卷号（R…）", "roll id (R…)"),
    "vtui.target.slip": ("领取单号（P… 或数字）", "pickup slip (P… or its number)"),
    "vtui.reason": ("原因（必填）", "reason (required)"),
    "vtui.hint": (
        "选择要做的事（↑↓），输入对象和原因，回车；确认后执行",
        "pick what to do (↑↓), type what it applies to and the reason, Enter; it happens after you confirm",
    ),
    "vtui.go": ("执行", "go"),
    "reprint.bad_slip": ("领取单号应为 P 加数字，或数字：{value}", "a pickup slip is P and digits, or digits: {value}"),
    "vtui.subject": ("对象", "applies to"),
    "vtui.reason_col": ("原因", "reason"),
    "vtui.order_subject": ("发码单 {order}（{count} 枚）", "order {order} ({count} codes)"),
    "vtui.bad_order": ("发码单号应为数字：{value}", "an order id is a number: {value}"),
    # --- ledger events
    "event.order.cancelled": ("作废发码单", "order cancelled"),
    "event.roll.voided": ("作废标签卷", "roll voided"),
    "event.roll.header_reprinted": ("补打卷首标签", "roll header reprinted"),
    "event.pickup.slip_reprinted": ("补打领取单", "pickup slip reprinted"),
}
