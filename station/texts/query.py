"""Texts of the consumer query service (station serve) and its figures for the office."""

# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
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
    "query.head_too_large": ("请求头太长", "the request's headers are too long"),
    "query.too_slow": ("请求发送太慢，连接已关闭", "the request came too slowly; the connection is closed"),
    "query.busy": ("服务繁忙，请稍后再试", "the service is busy; please try again shortly"),
    "query.listen_bad": (
        "监听地址 {value} 无效：应为 主机:端口（端口 0 至 65535），如 127.0.0.1:8080 或 [::1]:8080",
        "listen address {value} is invalid: use HOST:PORT (port 0 to 65535), e.g. 127.0.0.1:8080 or [::1]:8080",
    ),
    "query.listen_failed": (
        "无法在 {listen} 上监听：{reason}",
        "cannot listen on {listen}: {reason}",
    ),
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
    "query.serving_workers": (
        "{workers} 个工作进程共用此地址和台账；每个进程各占限流额度的 1/{workers}",
        "{workers} worker processes share this address and the ledger; each keeps 1/{workers} of every rate limit",
    ),
    "query.worker_died": (
        "查询服务的工作进程 {number}（进程号 {pid}）意外退出（{how}），已停止全部工作进程；请查看上面的错误信息，"
        "然后重新启动 station serve",
        "query service worker {number} (pid {pid}) exited on its own ({how}); every worker was stopped: read the "
        "error above, then start station serve again",
    ),
    "query.workers_slow": (
        "查询服务的工作进程 {seconds} 秒内未能全部启动，已停止；请检查台账是否可以访问",
        "the query service's workers did not all start within {seconds} s and were stopped: check that the ledger "
        "can be reached",
    ),
    "reach.example": (
        "订单 {order} 的二维码指向 {base_url}，这是示例地址，手机扫码打不开，未打印任何标签。请在设置“查询网址”"
        "中填写本单位已备案（ICP）并有有效证书的 https:// 地址，然后重新发码（已发的码保留发码时的地址）",
        "order {order}'s QR codes point to {base_url}, an example address no phone can open; nothing was printed. "
        "Set [codes] base_url to your office's https address (an ICP-filed domain with a valid certificate), then "
        "issue the codes again (codes already issued keep the address they were issued with)",
    ),
    "reach.http": (
        "订单 {order} 的二维码指向 {base_url}，不是 https:// 地址：微信和多数手机浏览器会拦截，未打印任何标签。"
        "请在设置“查询网址”中填写 https:// 地址后重新发码；仅在局域网试用时可把设置“允许 HTTP 查询网址”设为“是”",
        "order {order}'s QR codes point to {base_url}, which is not https: WeChat and most phone browsers block "
        "it; nothing was printed. Set [codes] base_url to an https address and issue the codes again; only for a "
        "trial on the office's network set [query] allow_http = true",
    ),
    "reach.http_allowed": (
        "注意：订单 {order} 的二维码指向 {base_url}（HTTP 地址，设置“允许 HTTP 查询网址”为“是”）：仅供局域网试用，"
        "微信扫码打不开；此提示已记入台账",
        "warning: order {order}'s QR codes point to {base_url} (http, allowed by [query] allow_http = true): for a "
        "trial on the office's network only, WeChat will not open them; this warning is recorded in the ledger",
    ),
    "query.f.best_before": ("保质期至", "best before"),
    "query.certificate.title": ("承诺达标合格证", "compliance-commitment certificate"),
    "query.certificate.number": ("合格证编号", "certificate number"),
    "query.certificate.issued": ("开具日期", "issued on"),
    "query.certificate.count": ("本批开具", "issued for the lot"),
    "query.certificate.basis": ("承诺依据", "basis of the commitment"),
    "query.certificate.unknown": ("没有编号为 {number} 的合格证", "no certificate is numbered {number}"),
    "query.certificate.recalled": ("该批次已召回：{reason}", "this lot is recalled: {reason}"),
}
