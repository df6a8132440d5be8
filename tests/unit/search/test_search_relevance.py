"""Relevance: each query must return the listed houses in its first ten results (recall@10 = 100%)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from search_corpus import documents

from search import SearchIndex, SearchQuery

KP1, KP2, TSW, TSY, XH, SZ, TSS = (
    "KP-TK-ZL-001", "KP-TK-ZL-002", "TS-DS-FS-001", "TS-DF-HL-001", "XH-SS-NX-001", "KP-CK-YZ-001", "TS-TC-XN-001",
)  # fmt: skip
NG5, NG, SUN, MJL, NC, YX, CK, HS, TC, JJ, XM, JL, QF = (
    "TS-HY-WS-001", "EP-SH-WJ-001", "ZS-NL-CH-001", "KP-BH-MJ-001", "KP-SK-NC-001", "TS-GH-YX-001",
    "KP-CK-QL-001", "ZS-SQ-XS-001", "TC-HS-SJ-001", "JJ-JX-WD-001", "XM-GL-HB-001", "TS-SJ-JL-001", "EP-SJ-TL-001",
)  # fmt: skip

# (query, filters, houses that must be in the top 10)
CASES: list[tuple[str, dict[str, list[str]], set[str]]] = [
    # simplified query on traditional text and the reverse
    ("侨房", {}, {KP2, QF}),
    ("僑房", {}, {KP2, QF}),
    ("云幻楼", {}, {KP2}),
    ("碉樓", {}, {KP1, MJL, NC}),
    ("开平", {}, {KP1, KP2, SZ, MJL, NC, CK}),
    ("臺山", {}, {TSY, NG5}),
    ("银信", {}, {YX}),
    ("銀信", {}, {YX}),
    ("華僑", {}, {QF, KP1, TC}),
    ("温哥华", {}, {TSY, TSS}),
    # pinyin, with and without spaces
    ("qiaofang", {}, {KP2, QF}),
    ("qiao fang", {}, {KP2, QF}),
    ("diaolou", {}, {KP1, MJL, NC}),
    ("kaiping", {}, {KP1, MJL, JL}),
    ("kai ping", {}, {KP1, NC}),
    ("yinxin", {}, {YX}),
    ("huaqiao", {}, {QF, TC}),
    ("tangkou", {}, {KP1, KP2}),
    ("tang kou", {}, {KP1, KP2}),
    ("kaipingdiaolou", {}, {KP1, NC}),
    # Cantonese and other emigrant spellings
    ("Wong", {}, {MJL, TSW, XM}),
    ("Toishan", {}, {TSW, TSY, NG5}),
    ("Hoiping", {}, {KP1, NC}),
    ("Szeto", {}, {SZ, TSS}),
    ("Ng", {}, {NG5, NG}),
    ("Sunwui", {}, {XH}),
    ("Heungshan", {}, {HS}),
    ("Chikan", {}, {CK, SZ}),
    ("Tengyueh", {}, {TC}),
    ("Amoy", {}, {XM}),
    ("Chinkiang", {}, {JJ}),
    ("Chan", {}, {XH}),
    ("San Francisco", {}, {TSW, KP1}),
    ("Gold Mountain", {}, {QF, JL}),
    ("Tom", {}, {YX}),
    ("Fong", {}, {KP1, KP2}),
    ("Yee", {}, {JL}),
    # Chinese query finds the romanised text
    ("黄", {}, {TSW, MJL, XM}),
    ("司徒", {}, {SZ, TSS}),
    ("陈", {}, {XH}),
    ("台山", {}, {TSW, TSY}),
    ("旧金山", {}, {TSW, KP1}),
    ("赤坎", {}, {CK, SZ}),
    ("香山", {}, {HS}),
    ("腾冲", {}, {TC}),
    ("晋江", {}, {JJ}),
    ("厦门", {}, {XM}),
    ("新会", {}, {XH}),
    ("伍", {}, {NG5}),
    ("方", {}, {KP1, KP2}),
    ("吴", {}, {NG}),
    # English stems and case
    ("villa", {}, {TSW, SUN}),
    ("villas", {}, {TSW, SUN}),
    ("restoring", {}, {SUN}),
    ("RESTORE", {}, {SUN}),
    ("laundry", {}, {TSW}),
    ("libraries", {}, {TC, SZ}),
    # one- and two-character words
    ("庐", {}, {JL, SUN, TSW}),
    ("更楼", {}, {NC}),
    # phrases (Chinese and English)
    ('"开平碉楼与村落"', {}, {KP1}),
    ('"碉楼与村落"', {}, {KP1}),
    ('"开平的碉楼"', {}, {NC}),
    ('"Wong Sun Yuen"', {}, {TSW}),
    ('"自力村"', {}, {KP1, KP2}),
    # mixed Chinese and English
    ("碉楼 Wong", {}, {MJL}),
    ("villa 台山", {}, {TSW, JL}),
    ("Fong 侨批", {}, {KP1}),
    # fields
    ("name:铭石楼", {}, {KP1}),
    ("village:自力", {}, {KP1, KP2}),
    ("county:开平 碉楼", {}, {KP1, MJL, NC}),
    ("kind:remittance_letter", {}, {KP1, YX}),
    ("family:司徒", {}, {SZ, TSS}),
    ("name:Wong", {}, {MJL, TSW}),
    # filters
    ("碉楼", {"county": ["開平"]}, {KP1, MJL, NC}),
    ("", {"style": ["villa"], "county": ["台山"]}, {TSW, JL}),
    ("楼", {"destination_country": ["加拿大"]}, {TSY}),
    ("Wong", {"decade": ["1920"]}, {MJL, TSW, XM}),
    ("侨房", {"record_kind": ["oral_history"]}, {QF}),
    # folding: full-width, Kangxi radicals, zero-width space
    ("ＫＡＩＰＩＮＧ", {}, {JL, KP1}),
    ("金山", {}, {QF, JL}),
    ("居庐", {}, {JL}),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    idx = SearchIndex(Path(tmp_path_factory.mktemp("relevance")) / "public")
    idx.rebuild(documents(), procs=1)
    yield idx
    idx.close()


def top10(index: SearchIndex, text: str, filters: dict[str, list[str]]) -> list[str]:
    results = index.search(SearchQuery(text, filters=filters, per_page=10))
    return [hit.house_code for hit in results.hits]


@pytest.mark.parametrize(("text", "filters", "expected"), CASES, ids=[f"{c[0]}{c[1] or ''}" for c in CASES])
def test_expected_houses_in_top_ten(index: SearchIndex, text: str, filters: dict[str, list[str]],
                                    expected: set[str]) -> None:  # fmt: skip
    found = top10(index, text, filters)
    assert expected <= set(found), f"{text!r}: missing {sorted(expected - set(found))}, got {found}"


def test_suite_size_and_recall(index: SearchIndex) -> None:
    assert len(CASES) >= 60
    hits = sum(len(expected & set(top10(index, text, filters))) for text, filters, expected in CASES)
    assert hits == sum(len(expected) for _, _, expected in CASES)


def test_phrase_does_not_match_separated_words(index: SearchIndex) -> None:
    # KP-SK-NC-001 has 开平 and 碉楼, but never next to each other.
    assert NC in top10(index, "开平 碉楼", {})
    phrase = top10(index, '"开平碉楼"', {})
    assert KP1 in phrase
    assert NC not in phrase


def test_names_weigh_more_than_bodies(index: SearchIndex) -> None:
    # 铭石楼 is KP-TK-ZL-001's name; other houses mention it only in text.
    assert top10(index, "铭石楼", {})[0] == KP1
    assert top10(index, "司徒氏图书馆", {})[0] == SZ
