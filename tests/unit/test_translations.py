"""The interface catalogues: every string the code uses now is translated, and the .mo files are current.

When this fails, run `python tools/translations.py` (see its docstring for the dev step).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog

TOOL = Path(__file__).resolve().parents[2] / "tools" / "translations.py"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("qiaofang_translations_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def template() -> Catalog:
    """The msgids extracted from the code as it is now (not a stored .pot that could be stale)."""
    return tool.extract_template()


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {locale: tool.load_catalog(locale) for locale in tool.LOCALES}


def test_extraction_finds_python_templates_and_wtforms(template: Catalog) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert "Must be between %(min)s and %(max)s." in ids  # archive/web/forms.py, gettext
    assert "Summary (Chinese)" in ids  # lazy_gettext as _l
    assert "Houses" in ids  # templates
    assert "%(num)d house" in ids  # ngettext in a template
    assert "Not a valid choice." in ids  # WTForms' own message


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_every_msgid_is_translated(template: Catalog, catalogs: dict[str, Catalog], locale: str) -> None:
    catalog = catalogs[locale]
    missing = []
    for wanted in template:
        if not wanted.id:
            continue
        message = catalog.get(wanted.id, wanted.context)
        if message is None or not tool.is_translated(message):
            missing.append(wanted.id)
    assert not missing, f"{locale}: run tools/translations.py and translate {missing}"


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_translations_keep_their_placeholders(catalogs: dict[str, Catalog], locale: str) -> None:
    errors = [(m.id, [str(e) for e in errs]) for m, errs in catalogs[locale].check()]
    assert not errors


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_mo_is_compiled_from_the_current_po(catalogs: dict[str, Catalog], locale: str) -> None:
    path = tool.mo_path(locale)
    assert path.exists(), f"{path} is missing: run tools/translations.py"
    with open(path, "rb") as f:
        committed = tool.mo_messages(f)
    assert committed == tool.compiled_messages(catalogs[locale]), (
        f"{path} is older than its .po: run tools/translations.py")


def test_required_wordings(catalogs: dict[str, Catalog]) -> None:
    hans, hant = catalogs["zh_Hans"], catalogs["zh_Hant"]
    assert hans.get("Houses").string == "房屋"
    assert "此项必填" in hans.get("This field is required.").string
    assert hans.get("Must be between %(min)s and %(max)s.").string % {"min": -90, "max": 90} == (
        "必须在 -90 和 90 之间。")
    assert "必須在 -90 和 90 之間" in hant.get("Must be between %(min)s and %(max)s.").string % {
        "min": -90, "max": 90}
    assert "不是有效的选项" in hans.get("Not a valid choice.").string
    assert "最多 20000 个字符" in hans.get("At most %(max)d characters.").string % {"max": 20000}


def test_generated_traditional_follows_simplified_but_keeps_hand_fixes() -> None:
    hans = Catalog(locale="zh_Hans")
    hans.add("Save", "保存")
    hans.add("Publish", "发布")
    hans.add("New", "新")
    hant = Catalog(locale="zh_Hant")
    hant.add("Save", "")                          # empty: generated
    hant.add("Publish", "發布")                   # hand-fixed: kept
    hant.add("New", "舊", flags=[tool.GENERATED])  # generated earlier: regenerated
    filled = tool.fill_traditional(hans, hant, lambda text: f"T({text})")
    assert hant.get("Save").string == "T(保存)" and tool.GENERATED in hant.get("Save").flags
    assert hant.get("Publish").string == "發布"
    assert hant.get("New").string == "T(新)"
    assert {msgid for msgid, _text in filled} == {"Save", "New"}
