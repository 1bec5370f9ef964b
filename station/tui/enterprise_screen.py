"""The app's enterprises screen: applications (a new one registered with g) and admitted enterprises, admission
review and blacklist, and each enterprise's products (a new one added with n, the selected one corrected with m)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from station.errors import StationError
from station.texts import TEXTS, t
from station.tui.confirm import Confirm
from station.tui.gate import gate
from station.tui.keybar import KeyBar
from station.tui.list_screen import ListScreen
from station.tui.plain import Plain
from station.tui.table import Table
from station.zones import DEFAULT_ZONE, zone

PRODUCT_FIELDS = ("p-name", "p-origin", "p-certs", "p-shelf", "p-gtin")  # the product form's boxes, in order


def _documents(enterprise: dict[str, Any]) -> dict[str, Any]:
    """An enterprise's documents as a dict (the ledger keeps them as JSON text)."""
    documents = enterprise.get("documents") or {}
    return json.loads(documents) if isinstance(documents, str) else dict(documents)


def _expired(enterprise: dict[str, Any], today: str) -> list[str]:
    """The names of the enterprise's licences past their expiry date on ``today`` (YYYY-MM-DD)."""
    until = _documents(enterprise).get("licence_expiry") or {}
    return [t("licence." + kind) for kind, day in until.items() if "licence." + kind in TEXTS and day < today]


def _papers(documents: dict[str, Any], today: str) -> list[str]:
    """An enterprise's licences (with their expiry dates, an expired one said so) and qualifications, as they are
    shown; ``today`` is the station's date, YYYY-MM-DD."""
    licences = documents.get("licences") or {}
    until = documents.get("licence_expiry") or {}
    papers = []
    for kind, number in licences.items() if isinstance(licences, dict) else []:
        name = t("licence." + kind) if "licence." + kind in TEXTS else kind
        if kind in until and until[kind] < today:
            papers.append(t("register.licence_expired", licence=name, number=number, expiry=until[kind]))
        elif kind in until:
            papers.append(t("register.licence_until", licence=name, number=number, expiry=until[kind]))
        else:
            papers.append(t("register.licence_shown", licence=name, number=number))
    for q in documents.get("qualifications") or []:
        papers.append(t("qualification." + q) if "qualification." + q in TEXTS else q)
    return papers


class Enterprises(ListScreen):
    """Applications and admitted enterprises with their products: register an application (g); approve (a),
    reject (d), blacklist (b) or take off the blacklist (u) the selected one, each after a confirmation; add a
    product to it (n, then the product's fields) or correct the product selected in the products table (m)."""

    BINDINGS = [
        Binding("g", "register", "tui.register"),
        Binding("a", "approve", "eaction.approve"),
        Binding("d", "reject", "tui.reject"),
        Binding("b", "blacklist", "eaction.blacklist"),
        Binding("u", "lift", "tui.lift"),
        Binding("n", "new_product", "tui.new_product"),
        Binding("m", "edit_product", "tui.edit_product"),
    ]

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.enterprises"), id="title")
        yield Table(id="list", cursor_type="row")
        yield Input(placeholder=t("tui.reason"), id="reason")
        yield Plain("", id="message", classes="panel")
        yield Plain("", id="details")
        yield Table(id="products", cursor_type="row")
        with Horizontal(id="product-form"):
            yield Input(placeholder=t("tui.product_name"), id="p-name")
            yield Input(placeholder=t("tui.product_origin"), id="p-origin")
            yield Input(placeholder=t("tui.product_certs"), id="p-certs")
            yield Input(placeholder=t("tui.product_shelf"), id="p-shelf", type="integer")
            yield Input(placeholder=t("tui.product_gtin"), id="p-gtin")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#list", DataTable).add_columns(
            t("cli.col.id"), t("cli.col.name"), t("cli.col.credit_code"), t("cli.col.status")
        )
        self.query_one("#products", DataTable).add_columns(
            t("cli.col.id"),
            t("cli.col.product"),
            t("cli.col.origin"),
            t("tui.product_certs"),
            t("cli.col.gtin"),
            t("tui.product_shelf"),
        )
        self.rows: list[dict[str, Any]] = getattr(self, "rows", [])
        self.products: dict[int, list[dict[str, Any]]] = getattr(self, "products", {})
        self.editing: int | None = getattr(self, "editing", None)  # the product the form corrects, if any
        self.select_after_load: int | None = getattr(self, "select_after_load", None)

    def on_screen_resume(self) -> None:
        self.load()  # applications, admissions and products recorded meanwhile, here or anywhere

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        app: Any = self.app
        with app.open_home() as home:
            rows = home.ledger.enterprises()
            products = home.ledger.products()
        self.app.call_from_thread(self.show, rows, products)

    def show(self, rows: list[dict[str, Any]], products: list[dict[str, Any]] | None = None) -> None:
        self.rows = rows
        if products is not None:
            self.products = {}
            for p in products:
                self.products.setdefault(p["enterprise_id"], []).append(p)
        table = self.query_one("#list", DataTable)
        row = table.cursor_row  # the same row stays selected after a change
        table.clear()
        for e in rows:
            status = t("estatus." + e["status"]) + (" · " + t("cli.blacklisted") if e["blacklisted"] else "")
            table.add_row(str(e["id"]), e["name"], e["credit_code"], status, key=str(e["id"]))
        new = self.select_after_load  # an application just filed: its row, named
        found = next((i for i, e in enumerate(rows) if e["id"] == new), None)
        if found is not None:
            row, self.select_after_load = found, None
            self.query_one("#message", Static).update(t("cli.enterprise_added", id=new, name=rows[found]["name"]))
        table.move_cursor(row=max(0, min(row, table.row_count - 1)))
        self._show_products()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "list":
            self._show_products()

    def _show_products(self) -> None:
        eid = self._selected()
        table = self.query_one("#products", DataTable)
        table.clear()
        enterprise = next((e for e in self.rows if e["id"] == eid), None)
        if enterprise is None:
            return
        papers = _papers(_documents(enterprise), self._today())
        reason = enterprise.get("blacklist_reason") or ""
        self.query_one("#details", Static).update(
            " · ".join(x for x in (enterprise["name"], "、".join(papers), reason) if x)
        )
        for p in self.products.get(enterprise["id"], []):
            table.add_row(
                str(p["id"]),
                p["name"],
                p["origin_code"],
                "、".join(p["certifications"]),
                p["gtin"] or "",
                str(p["shelf_life_days"] or ""),
                key=str(p["id"]),
            )

    def action_approve(self) -> None:
        self._ask("approve", "review")

    def action_reject(self) -> None:
        self._ask("reject", "review")

    def action_blacklist(self) -> None:
        self._ask("blacklist", "blacklist")

    def action_lift(self) -> None:
        self._ask("unblacklist", "blacklist")

    def action_register(self) -> None:
        from station.tui.register_screen import RegisterEnterprise

        if not gate(self).allowed("register"):
            return

        def registered(eid: int | None) -> None:
            if eid is None:
                self.query_one("#message", Static).update(t("confirm.cancelled"))
                return
            self.select_after_load = eid
            self.load()
            self.tell_app()

        self.app.push_screen(RegisterEnterprise(), registered)

    def _ask(self, action: str, permission: str) -> None:
        """Name the selected enterprise and what the change does, then make it if the clerk confirms."""
        eid = self._selected()
        if eid is None or not gate(self).allowed(permission):
            return
        reason = self.query_one("#reason", Input).value.strip()
        if action != "approve" and not reason:  # refused before asking: the question would be for nothing
            self.changed(t("tui.reason_needed"), None)
            return
        enterprise = next((e for e in self.rows if e["id"] == eid), None)
        name = enterprise["name"] if enterprise is not None else str(eid)
        question = t("confirm." + action, name=name, reason=reason)
        expired = _expired(enterprise, self._today()) if action == "approve" and enterprise is not None else []
        if expired:  # approving with a licence past its date is allowed, but never unnoticed
            question += "\n" + t("confirm.approve_expired", licences="、".join(expired))

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(eid, action, reason)
            else:
                self.query_one("#message", Static).update(t("confirm.cancelled"))

        self.app.push_screen(Confirm(question), answered)

    def _today(self) -> str:
        """The station's date, YYYY-MM-DD, on the clock of [station] timezone."""
        return datetime.now(zone(getattr(self.app, "zone", DEFAULT_ZONE))).date().isoformat()

    def action_new_product(self) -> None:
        if self._selected() is not None and gate(self).allowed("register"):
            self.editing = None
            for name in PRODUCT_FIELDS:
                self.query_one(f"#{name}", Input).value = ""
            self.query_one("#p-name", Input).focus()

    def action_edit_product(self) -> None:
        """The selected product's fields in the form, to correct; Enter in the last box saves them."""
        table = self.query_one("#products", DataTable)
        if table.row_count == 0:
            self.changed(t("tui.pick_product"), None)
            return
        if not gate(self).allowed("register"):
            return
        pid = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)
        product = next((p for ps in self.products.values() for p in ps if p["id"] == pid), None)
        if product is None:
            return
        self.editing = pid
        values = (
            product["name"],
            product["origin_code"],
            "、".join(product["certifications"]),
            str(product["shelf_life_days"] or ""),
            product["gtin"] or "",
        )
        for name, value in zip(PRODUCT_FIELDS, values, strict=True):
            self.query_one(f"#{name}", Input).value = value
        self.query_one("#message", Static).update(t("tui.editing_product", id=pid, name=product["name"]))
        self.query_one("#p-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = list(PRODUCT_FIELDS)
        if event.input.id not in order:
            return
        fields = [self.query_one(f"#{name}", Input) for name in order]
        empty = next((f for f in fields[:2] if not f.value.strip()), None)
        if event.input.id != order[-1] or empty is not None:
            (empty or fields[order.index(event.input.id or "") + 1]).focus()
            return
        eid = self._selected()
        if eid is not None:
            certs = [c for c in fields[2].value.replace("，", ",").replace("、", ",").split(",") if c.strip()]
            shelf = int(fields[3].value) if fields[3].value.strip() else None
            gtin = fields[4].value.strip() or None
            self.add(eid, self.editing, fields[0].value, fields[1].value, [c.strip() for c in certs], shelf, gtin)

    @work(thread=True, exclusive=True, group="change")
    def add(
        self,
        eid: int,
        editing: int | None,
        name: str,
        origin: str,
        certs: list[str],
        shelf: int | None,
        gtin: str | None,
    ) -> None:
        """Record a new product of the enterprise, or correct product ``editing``."""
        from station.registry import add_product, edit_product

        app: Any = self.app
        with app.open_home(signed=True) as home:
            county = home.config.scheme.county_code
            try:
                if editing is None:
                    pid = add_product(home.ledger, eid, name, origin, county, certs, shelf, gtin)
                    message = t("cli.product_added", id=pid, name=name.strip())
                elif edit_product(home.ledger, editing, county, name, origin, certs, shelf, gtin):
                    message = t("product.updated", id=editing, name=name.strip())
                else:
                    message = t("product.unchanged", id=editing)
                rows, products = home.ledger.enterprises(), home.ledger.products()
            except StationError as err:
                message, rows, products = err.message, None, None
        self.app.call_from_thread(self.changed, message, rows, products)

    def changed(
        self, message: str, rows: list[dict[str, Any]] | None, products: list[dict[str, Any]] | None = None
    ) -> None:
        if products is not None:
            self.show(rows or [], products)
        if rows is not None:
            self.editing = None
            self.tell_app()
            if isinstance(self.focused, Input):  # the form is done: the keys act on the list again
                self.query_one("#list", DataTable).focus()
        super().changed(message, rows)

    @work(thread=True, exclusive=True, group="change")
    def change(self, eid: int, action: str, reason: str) -> None:
        from station.registry import review_enterprise, set_blacklisted

        app: Any = self.app
        with app.open_home(signed=True) as home:
            try:
                if action in ("blacklist", "unblacklist"):
                    set_blacklisted(home.ledger, eid, action == "blacklist", reason)
                else:
                    review_enterprise(home.ledger, eid, action, reason or None)
                message = t("cli.enterprise_updated", id=eid, status=t("eaction." + action))
                rows = home.ledger.enterprises()
            except StationError as err:
                message, rows = err.message, None
        self.app.call_from_thread(self.changed, message, rows)
