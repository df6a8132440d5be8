"""Interface translations: extract -> update the catalogues -> fill 繁體 from 简体 -> compile.

The dev step, after adding or changing any user-facing string (``_()``, ``gettext``, ``lazy_gettext``
/ ``_l`` in ``archive/**.py``, ``_()`` in ``templates/**.html``)::

    python tools/translations.py           # extract, update, fill zh_Hant, compile; prints what to do
    python tools/translations.py --check   # change nothing; exit 1 if a catalogue is incomplete or stale

1. Extract every msgid (``babel.cfg`` says where) plus WTForms' own messages, which reach the page
   through our catalogue (``archive.web.forms._BabelTranslations``) but are not in our source.
2. Update ``archive/translations/{zh_Hans,zh_Hant}/LC_MESSAGES/messages.po``: new msgids are added
   empty, changed ones are matched and marked fuzzy, removed ones are dropped.
3. Write the 简体 msgstr by hand in ``zh_Hans/.../messages.po`` for every empty or fuzzy entry (and
   delete the ``fuzzy`` flag once checked), then run the tool again.
4. The tool fills each ``zh_Hant`` entry that is empty, fuzzy or flagged ``opencc`` (= generated) from
   the 简体 text with OpenCC ``s2twp`` and prints what it wrote: read it. To correct a generated 繁體
   entry by hand, edit its msgstr and delete ``opencc`` from its ``#,`` line: the tool never touches
   an entry without that flag again.
5. Compile both catalogues to ``messages.mo`` (commit the .po and the .mo; a fresh clone needs the .mo).

Why OpenCC ``s2twp`` (characters plus Taiwan phrases) rather than ``s2t`` or ``s2tw`` (characters only):
this is a software interface, and readers in Taiwan, Hong Kong and the overseas communities expect
its words (登入, 檔案, 伺服器, 欄位, 儲存), not mainland ones written in traditional characters
(登錄, 文件, 服務器, 字段); ``s2t`` would also give OpenCC's etymological forms (爲, 綫) nobody writes.
The cost is that phrase conversion sometimes picks the wrong sense in our field (发布→釋出, a software
release; 保存状况→儲存狀況, storage instead of conservation; 类型→型別). The recurring ones are put
right by ``GLOSSARY`` after conversion; any other is fixed by hand once (and loses the ``opencc``
flag), so always read the newly generated 繁體 entries the tool prints.

``tests/unit/test_translations.py`` runs the same checks as ``--check``.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "archive" / "translations"
DOMAIN = "messages"
SIMPLIFIED, TRADITIONAL = "zh_Hans", "zh_Hant"
LOCALES = (SIMPLIFIED, TRADITIONAL)
OPENCC_CONFIG = "s2twp"
GENERATED = "opencc"  # flag on a zh_Hant entry that the tool wrote and may rewrite
# Where s2twp's Taiwan phrases pick the wrong sense for a heritage catalogue, applied after OpenCC.
GLOSSARY = {
    "釋出": "發布",          # 发布: to publish a record, not a software release
    "型別": "類型",          # 类型: a kind of building, not a data type
    "儲存狀況": "保存狀況",  # 保存状况: state of conservation, not of storage
    "退出登入": "登出",      # 退出登录: log out
    "十六進位制": "十六進位",
    "地名錶": "地名表",      # 地名表: a gazetteer (a table), not a watch (錶)
    "賬戶": "帳戶",          # the Taiwan form of 账户 (account)
    "許可權": "權限",        # 权限: access rights (s2twp's 許可權 is a legal term)
    "質量須為": "品質須為",  # IIIF quality: image quality, not mass
}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
PROJECT = "Qiaofang Archive"
HEADER_COMMENT = (
    "# Interface translations of the Qiaofang Archive (侨房档案).\n"
    "# Maintained with tools/translations.py: 简体 by hand; 繁體 entries flagged 'opencc' are generated\n"
    "# from 简体 and rewritten on every run; delete the flag after correcting one by hand."
)

# WTForms says these itself (field coercion and default validator messages); Flask-Babel gives them to
# our catalogue, so they need translations even though no file of ours contains them.
WTFORMS_MESSAGES = (
    "This field is required.",
    "Not a valid choice.",
    "Invalid Choice: could not coerce.",
    "Not a valid integer value.",
    "Not a valid float value.",
    "Not a valid decimal value.",
    "Not a valid date value.",
    "Not a valid datetime value.",
)

Messages = dict[object, object]


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str) -> Path:
    return po_path(locale).with_suffix(".mo")


def extract_template() -> Catalog:
    """Every msgid the interface uses now, with where it comes from."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    template = Catalog(project=PROJECT, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        template.add(message, "", [(filename, lineno)], auto_comments=comments, context=context)
    for message in WTFORMS_MESSAGES:
        template.add(message, "", [("wtforms", 0)], auto_comments=["WTForms' own message"])
    return template


def load_catalog(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project=PROJECT, charset="utf-8", fuzzy=False)
    with open(path, "rb") as f:
        return read_po(f, locale=locale, domain=DOMAIN)


def updated(catalog: Catalog, template: Catalog) -> Catalog:
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.header_comment = HEADER_COMMENT
    catalog.version = "1"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Qiaofang Archive team"
    catalog.language_team = f"{catalog.locale_identifier} (Qiaofang Archive)"
    return catalog


def _strings(message: Message) -> tuple[str, ...]:
    value = message.string
    return tuple(value) if isinstance(value, (tuple, list)) else (value or "",)


def is_translated(message: Message) -> bool:
    return not message.fuzzy and all(s.strip() for s in _strings(message))


def fill_traditional(hans: Catalog, hant: Catalog, convert: Callable[[str], str]) -> list[tuple[str, str]]:
    """Write zh_Hant entries that are empty, fuzzy or generated from their 简体 text; keep hand fixes.

    Returns (msgid, new 繁體 text) for each entry that changed.
    """
    filled: list[tuple[str, str]] = []
    for message in hant:
        if not message.id:
            continue
        source = hans.get(message.id, message.context)
        if source is None or not is_translated(source):
            continue
        if is_translated(message) and GENERATED not in message.flags:
            continue  # a hand-written translation
        strings = tuple(convert(s) for s in _strings(source))
        new = strings if isinstance(message.id, (tuple, list)) else strings[0]
        if new != message.string or message.fuzzy:
            filled.append((message.id if isinstance(message.id, str) else message.id[0], strings[0]))
        message.string = new
        message.flags.discard("fuzzy")
        message.flags.add(GENERATED)
    return filled


def opencc_converter() -> Callable[[str], str]:
    import opencc

    convert = opencc.OpenCC(OPENCC_CONFIG).convert

    def to_traditional(text: str) -> str:
        result = convert(text)
        for wrong, right in GLOSSARY.items():
            result = result.replace(wrong, right)
        return result

    return to_traditional


def problems(catalog: Catalog, template: Catalog) -> list[str]:
    """Msgids of the template that this catalogue does not translate (or translates wrongly)."""
    found = []
    for wanted in template:
        if not wanted.id:
            continue
        message = catalog.get(wanted.id, wanted.context)
        if message is None:
            found.append(f"missing: {wanted.id!r}")
        elif message.fuzzy:
            found.append(f"fuzzy (check, then delete the flag): {wanted.id!r}")
        elif not is_translated(message):
            found.append(f"untranslated: {wanted.id!r}")
    for message, errors in catalog.check():
        found.extend(f"{error}: {message.id!r}" for error in errors)
    return found


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # No line numbers: they would change the .po on every edit of a template.
    write_po(out, catalog, width=100, ignore_obsolete=True, include_lineno=False)
    return out.getvalue()


def compiled_messages(catalog: Catalog) -> Messages:
    """What gettext will see: the .po compiled (fuzzy entries left out) and read back."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    out.seek(0)
    return mo_messages(out)


def mo_messages(fileobj: io.BufferedIOBase | io.BytesIO) -> Messages:
    def frozen(value: object) -> object:  # plural ids and strings come back as lists
        return tuple(value) if isinstance(value, list) else value

    return {(frozen(m.id), m.context): frozen(m.string) for m in read_mo(fileobj) if m.id}


def _without_dates(data: bytes) -> bytes:
    return b"\n".join(line for line in data.splitlines()
                      if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:')))


def write_if_changed(path: Path, data: bytes, compare: Callable[[bytes], bytes] = lambda b: b) -> bool:
    if path.exists() and compare(path.read_bytes()) == compare(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def mo_is_current(locale: str, catalog: Catalog) -> bool:
    path = mo_path(locale)
    if not path.exists():
        return False
    with open(path, "rb") as f:
        return mo_messages(f) == compiled_messages(catalog)


def build(check_only: bool = False) -> list[str]:
    """Run every step (or only look, with check_only); returns the problems left for a person."""
    template = extract_template()
    catalogs = {locale: updated(load_catalog(locale), template) for locale in LOCALES}
    filled = fill_traditional(catalogs[SIMPLIFIED], catalogs[TRADITIONAL], opencc_converter())
    report: list[str] = []
    for locale, catalog in catalogs.items():
        report.extend(f"{locale}: {p}" for p in problems(catalog, template))
    if check_only:
        for locale, catalog in catalogs.items():
            if not mo_is_current(locale, catalog):
                report.append(f"{locale}: messages.mo is missing or older than messages.po")
        report.extend(f"{TRADITIONAL}: not yet generated: {msgid!r}" for msgid, _text in filled)
        return report
    now = datetime.now(UTC)
    write_if_changed(TRANSLATIONS / f"{DOMAIN}.pot", po_bytes(template), _without_dates)
    for locale, catalog in catalogs.items():
        catalog.revision_date = now
        if write_if_changed(po_path(locale), po_bytes(catalog), _without_dates):
            print(f"updated {po_path(locale).relative_to(ROOT)}")
        if not mo_is_current(locale, catalog):
            out = io.BytesIO()
            write_mo(out, catalog, use_fuzzy=False)
            mo_path(locale).write_bytes(out.getvalue())
            print(f"compiled {mo_path(locale).relative_to(ROOT)}")
    for msgid, text in filled:
        print(f"{TRADITIONAL} generated: {msgid!r} -> {text}")
    if filled:
        print(f"{TRADITIONAL}: {len(filled)} entries generated with OpenCC {OPENCC_CONFIG}; read them, fix by hand"
              " where the phrase conversion chose the wrong word")
    return report


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is left to do")
    args = parser.parse_args(list(argv) if argv is not None else None)
    report = build(check_only=args.check)
    for line in report:
        print(line)
    print(f"{len(report)} problem(s)" if report else "translations complete")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
