"""The service's HTML pages: the code page put together from fragments, the others rendered by Jinja2.

A code's page is what every scan opens, so it is not rendered by a template engine per query. Everything on it
that is the same for many queries is rendered once by the autoescaping templates and kept: the frame
(``base.html`` through ``code.html``) and the report form per language, the product and lot cards per order, lot
and language (on the ``Facts``, kept while the ledger shows no change to them). What belongs to one code (the
verdict, the code, the hint, the warnings) is written here, every value escaped with ``markupsafe.escape`` as the
templates escape it, and kept per code and language while what it was made of stays the same (``_STILL``): a code
scanned again gets its page with only its count and first query time written anew. The other pages (form,
messages, errors) are rare and rendered by their templates.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from station.codes import CODE_DIGITS, group
from station.ledger.query_store import REPORT_KINDS
from station.query.answer import HTTP_STATUS, Answer, texts
from station.texts import tr

TEXT_MAX = 1000  # a report's text, characters
CONTACT_MAX = 100  # a report's contact, characters
REPORT_URL = "/report"

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    auto_reload=False,  # templates ship with the code: no stat() of the file on every page
)
# stand-ins for what a fragment leaves open; the templates' escaping leaves them as they are
_MAIN = "\x00main\x00"
_OTHER = "\x00other-language-url\x00"
_CODE = "\x00code\x00"
_SPECIAL = re.compile("[&<>\"']")  # what markupsafe.escape replaces
_SERIOUS = frozenset({"voided", "recalled", "undistributed", "link"})
_BAD = frozenset({"voided", "unknown", "forged", "recalled", "undistributed"})


def suffix(lang: str) -> str:
    """What a link adds to stay in ``lang``."""
    return "?lang=en" if lang == "en" else ""


def other_lang_url(lang: str, path: str) -> str:
    """The same page in the other language."""
    return path + ("" if lang == "en" else "?lang=en")


def render(template: str, lang: str, prefix: str, other_url: str, **values: Any) -> str:
    """A whole page from its template (the form, messages, errors)."""
    return _TEMPLATES.get_template(template).render(
        lang=lang,
        T=texts(lang),
        tr=lambda key, **params: tr(lang, key, **params),
        group=group,
        root=f"/{suffix(lang)}",
        root_url=f"/{suffix(lang)}",
        code_url=lambda code: f"{prefix}/{code}{suffix(lang)}",
        other_lang_url=other_url,
        **values,
    )


class _Fragments:
    """The parts of the code page that are the same for every query in one language, as UTF-8."""

    def __init__(self, lang: str) -> None:
        frame = render("code.html", lang, "", Markup(_OTHER), main=Markup(_MAIN))  # noqa: S704 - a stand-in
        head, rest = frame.split(_OTHER)
        middle, tail = rest.split(_MAIN)
        self.head, self.middle, self.tail = head.encode(), middle.encode(), tail.encode()
        form = _TEMPLATES.get_template("report_form.html").render(
            lang=lang,
            T=texts(lang),
            tr=lambda key, **params: tr(lang, key, **params),
            code=Markup(_CODE),  # noqa: S704 - a stand-in
            kinds=REPORT_KINDS,
            report_url=REPORT_URL,
            text_max=TEXT_MAX,
            contact_max=CONTACT_MAX,
        )
        form_head, form_tail = form.split(_CODE)
        self.form_head, self.form_tail = ("\n" + form_head).encode(), form_tail.encode()
        self.verdicts = {
            (
                status,
                tone,
            ): f'<div class="card verdict {tone}">\n<h2>{escape(tr(lang, f"query.status.{status}"))}</h2>\n'.encode()
            for status in HTTP_STATUS
            for tone in ("ok", "warn", "bad")
        }
        self.hint_separator = "、" if lang == "zh" else ", "


_FRAGMENTS: dict[str, _Fragments] = {}


def _fragments(lang: str) -> _Fragments:
    found = _FRAGMENTS.get(lang)
    if found is None:
        found = _FRAGMENTS[lang] = _Fragments(lang)
    return found


def _escaped(text: str) -> bytes:
    """``text`` escaped as the templates escape it, as UTF-8 (most values have nothing to escape: one search)."""
    if _SPECIAL.search(text) is None:
        return text.encode()
    return escape(text).encode()


def cards(answer: Answer, lang: str) -> bytes:
    """The product and lot cards, rendered once per language for every code of the same order and lot."""
    facts = answer.facts
    if facts is None:
        return b""
    html = facts.pages.get(lang)
    if html is None:
        html = facts.pages[lang] = (
            _TEMPLATES.get_template("cards.html")
            .render(T=texts(lang), tr=lambda key, **params: tr(lang, key, **params), f=facts)
            .encode()
        )
    return html


def render_fragment(template: str, lang: str, **values: Any) -> str:
    """A part of a page from its template (the hidden-code form), with the catalogue texts in ``lang``."""
    return _TEMPLATES.get_template(template).render(lang=lang, T=texts(lang), **values)


# A code's page less its count, kept per language and code: the parts before and after the count, and what they were
# made of (the status, the warnings, the Facts read at the ledger's version, the void, the hidden-code form, the
# base path and the clock). A page is put together from them only while all of these are the same objects or
# values, so a recall, release, blacklisting or void (a new Facts, status or warning) is shown at once.
_STILL: dict[tuple[str, str], tuple[tuple[object, ...], list[bytes], list[bytes]]] = {}
STILL_KEPT = 10_000


def code_page(answer: Answer, lang: str, prefix: str, extra: bytes = b"") -> bytes:
    """A code's page (UTF-8): the verdict, warnings, product and lot, and the report form."""
    code = answer.code
    warnings = answer.warnings
    if answer.status == "check_digit" or "repeated" in warnings or len(code) != CODE_DIGITS or not code.isdigit():
        return _code_page(answer, lang, prefix, extra)  # a hint, or a count in a warning: made whole each time
    made_of = (answer.status, *warnings, answer.facts, answer.void, extra, prefix, answer.zone)
    still = _STILL.get((lang, code))
    if still is None or still[0] != made_of:
        if len(_STILL) >= STILL_KEPT:
            _STILL.clear()
        page = _code_page(answer, lang, prefix, extra, split=True)
        at = page.index(_COUNT_MARK)
        still = _STILL[lang, code] = (made_of, page[:at], page[at + 1 :])
    detail = answer.detail(lang)
    return b"".join([*still[1], b"<p>" + _escaped(detail) + b"</p>" if detail else b"", *still[2]])


_COUNT_MARK = b"\x00count\x00"


def _code_page(answer: Answer, lang: str, prefix: str, extra: bytes = b"", split: bool = False) -> Any:
    """The page (``code_page``) made whole; with ``split`` its parts as a list, ``_COUNT_MARK`` where the count
    goes."""
    fragments = _fragments(lang)
    code = answer.code
    is_code = len(code) == CODE_DIGITS and code.isdigit()
    if answer.status == "genuine" and not answer.warnings:
        tone = "ok"
    else:
        tone = "bad" if answer.status in _BAD else "warn"
    if is_code:  # digits need no escaping
        digits = code.encode()
        other_url = _escaped(prefix) + b"/" + digits + (b"" if lang == "en" else b"?lang=en")
        grouped = answer.grouped.encode()
    else:
        digits = _escaped(code)
        other_url = _escaped(other_lang_url(lang, "/"))
        grouped = _escaped(answer.grouped)
    parts = [fragments.head, other_url, fragments.middle, fragments.verdicts[answer.status, tone]]
    if code:
        parts += [b'<p class="code">', grouped, b"</p>"]
    if split:
        parts.append(_COUNT_MARK)
    else:
        detail = answer.detail(lang)
        if detail and "repeated" not in answer.warnings:  # a repeated code's count is in its warning already
            parts += [b"<p>", _escaped(detail), b"</p>"]
    if answer.hint:
        hint, positions = answer.hint
        where = tr(lang, "query.hint_positions", positions=fragments.hint_separator.join(map(str, positions)))
        parts += [
            b'<p class="hint"><a href="',
            _escaped(f"{prefix}/{hint}{suffix(lang)}"),
            b'">',
            _escaped(group(hint)),
            b"</a><br>",
            _escaped(where),
            b"</p>",
        ]
    parts.append(b"</div>\n")
    if answer.warnings:
        parts.append(b'<ul class="warnings">\n')
        for kind, text in answer.warning_texts(lang):
            parts += [b'<li class="serious">' if kind in _SERIOUS else b'<li class="">', _escaped(text), b"</li>\n"]
        parts.append(b"</ul>\n")
    parts.append(extra)  # the hidden-code form, when the label has one (station.query.hidden)
    parts.append(cards(answer, lang))
    if is_code and answer.status != "check_digit":  # the report form: also for a code that is not ours
        parts += [fragments.form_head, digits, fragments.form_tail]
    parts.append(fragments.tail)
    return parts if split else b"".join(parts)
