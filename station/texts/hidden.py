"""Texts of hidden codes (暗码): keys, orders, the export, templates, the query page, statistics, event names."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- the key and the order setting
    "hidden.key_missing": (
        "暗码密钥文件 {path} 不存在，而台账中已有带暗码的发码单；没有它，已印的暗码无法验证。请从备份恢复该文件",
        "hidden-code key file {path} is missing but the ledger has orders printed with hidden codes; without it "
        "those hidden codes cannot be checked. Restore the file from backup",
    ),
    "hidden.already": ("发码单 {order} 已设为带暗码印制", "order {order} is already set to print hidden codes"),
    "hidden.printed": (
        "发码单 {order} 已有标签印出，不能再改为带暗码印制；请另开发码单（station issue --hidden）",
        "order {order} already has printed labels and cannot switch to hidden codes; issue a new order "
        "(station issue --hidden)",
    ),
    "hidden.not_hidden": (
        "发码单 {order} 不带暗码，没有可导出的暗码",
        "order {order} is not printed with hidden codes: there are none to export",
    ),
    "hidden.marked": ("发码单 {order} 将带暗码印制", "order {order} will be printed with hidden codes"),
    # --- the export for a scratch-off printing service
    "hidden.export_purpose": (
        "请用 --for 写明暗码文件交给谁（如刮刮膜印刷厂名称），这会记入台账",
        "say with --for who receives the hidden codes (e.g. the scratch-off printer's name); it is recorded",
    ),
    "hidden.export_exists": (
        "文件 {path} 已存在；暗码文件不覆盖已有文件，请换一个文件名",
        "file {path} exists; a hidden-code file never replaces one, choose another name",
    ),
    "hidden.export_failed": ("暗码文件 {path} 写入失败：{reason}", "hidden-code file {path} not written: {reason}"),
    "hidden.export_done": (
        "已导出 {n} 个暗码到 {path}（权限 0600，台账事件 #{event}，SHA-256 {sha}）；交付后请删除本机副本",
        "{n} hidden codes written to {path} (mode 0600, ledger event #{event}, SHA-256 {sha}); delete this copy "
        "once delivered",
    ),
    "hidden.pruned": (
        "已删除 {n} 张含暗码的相机图片（超过 {hours} 小时）",
        "{n} camera pictures showing hidden codes deleted (older than {hours} hours)",
    ),
    # --- templates and runs
    "hidden.template_field": (
        "{where} 使用了暗码字段 {{{field}}}；暗码只能放在 hidden 元素中（带刮刮膜框），不能进二维码或其他元素",
        "{where} uses the hidden-code field {{{field}}}; a hidden code belongs only in a hidden element (with its "
        "scratch-off frame), never in a QR or another element",
    ),
    "hidden.template_needed": (
        "发码单 {order} 带暗码，模板 {template} 却没有暗码元素；请选带暗码的模板（如 trace-40x40-hidden）",
        "order {order} carries hidden codes but template {template} has no hidden element; choose a template "
        "with one (e.g. trace-40x40-hidden)",
    ),
    "hidden.template_unwanted": (
        "发码单 {order} 不带暗码，模板 {template} 却有暗码元素；请选不带暗码的模板",
        "order {order} has no hidden codes but template {template} has a hidden element; choose a template without one",
    ),
    # --- the query page and API
    "hidden.q.title": ("输入暗码", "Enter the hidden code"),
    "hidden.q.explain": (
        "刮开标签上的涂层，输入下面的 8 位暗码。第一次正确输入即为正品验证。",
        "Scratch off the label's coating and enter the 8-digit code under it. The first right entry verifies "
        "the product.",
    ),
    "hidden.q.submit": ("验证暗码", "Check"),
    "hidden.q.first": ("首次验证，正品", "First verification: genuine"),
    "hidden.q.again": (
        "此暗码已于 {date} 被验证过 {n} 次，如非本人刮开请谨慎",
        "this hidden code was verified {n} times, first on {date}; if you did not scratch it yourself, beware",
    ),
    "hidden.q.wrong": (
        "暗码不符。请核对刮开的数字后重试（每个码每天可试 {per_day} 次）",
        "the hidden code does not match. Check the digits and try again ({per_day} tries per code a day)",
    ),
    "hidden.q.malformed": ("暗码应为 8 位数字", "a hidden code is 8 digits"),
    "hidden.q.none": (
        "此码的标签没有暗码，或此码不是正品；请先查询码本身",
        "this code's label has no hidden code, or the code is not genuine; query the code itself first",
    ),
    "hidden.q.limited": (
        "暗码尝试过多，请 {seconds} 秒后再试",
        "too many hidden-code entries; try again in {seconds} seconds",
    ),
    "hidden.q.unavailable": ("暗码暂时无法验证，请稍后再试", "hidden codes cannot be checked now; try again later"),
    # --- the office: stats and the queries screen
    "hidden.stats.repeated": ("暗码被多次验证的码", "codes whose hidden code was verified more than once"),
    "hidden.stats.guessed": ("暗码被猜测的码（错误次数达 {n} 次）", "codes under guessing ({n} or more wrong entries)"),
    "hidden.h.verified": ("验证次数", "verified"),
    "hidden.h.first": ("首次验证", "first verified"),
    "hidden.h.network": ("首次网段", "first network"),
    "hidden.h.wrong": ("错误次数", "wrong entries"),
    "hidden.h.last_wrong": ("最近错误", "last wrong entry"),
    "hidden.cli.issued": ("（带暗码）", "(with hidden codes)"),
    # --- event names
    "event.hidden.order": ("设为带暗码印制", "order set to print hidden codes"),
    "event.hidden.exported": ("导出暗码（刮刮膜印刷）", "hidden codes exported (scratch-off printing)"),
}
