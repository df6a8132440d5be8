"""Folding, segmentation, aliases and pinyin: the analysis the index and the queries share."""

from __future__ import annotations

import jieba
import pytest

from search.aliases import Alias, load_aliases, spelling_key
from search.pinyin import split_syllables
from search.segment import USER_DICT, cut_chinese, jieba_tokenizer, terms, tokens
from search.storage.analysis import PART_GAP, ArchiveAnalyzer, positions
from search.text import fold


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("開平碉樓與村落", "开平碉楼与村落"),
        ("ＫＡＩＰＩＮＧ　Ｔｏｗｅｒ", "kaiping tower"),
        ("⾦⼭客", "金山客"),  # Kangxi radicals
        ("豈", "岂"),  # CJK compatibility ideograph, then t2s
        ("Huá Qiáo Lü", "hua qiao lu"),
        ("侨\u200b房", "侨房"),
        ("華(huá)僑(qiáo)房屋", "华侨房屋"),
        ("黄兴(Wong Hing)", "黄兴(wong hing)"),  # not a reading of 兴: real text, kept
        ("僑團(社)", "侨团(社)"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw).text == folded


def test_fold_keeps_offsets_into_the_original() -> None:
    raw = "華(huá)僑(qiáo)房屋"
    tokens_ = list(tokens(raw))
    assert [t[0] for t in tokens_] == ["华侨", "房屋"]
    _, _, start, end = tokens_[0]
    assert raw[start:end] == "華(huá)僑"
    assert raw[tokens_[1][2] : tokens_[1][3]] == "房屋"


def test_one_to_one_folding_keeps_length() -> None:
    raw = "臺山僑房 ＡＢＣ"
    assert len(fold(raw).text) == len(raw)
    assert fold(raw).offsets is None


def test_segmenter_agrees_with_jieba_without_hmm() -> None:
    tokenizer = jieba_tokenizer()
    samples = [
        "开平碉楼与村落是世界文化遗产台山市的侨房很多黄兴",
        "侨批银信骑楼塘口赤坎自力村司徒美堂华侨房屋",
        "民国二十一年台山县端芬翁氏立契旅居加拿大温哥华",
        "我祖父在旧金山经营杂货店寄钱回乡建了铭石楼",
    ]
    for text in samples:
        assert list(cut_chinese(text)) == list(tokenizer.cut(text, HMM=False))
    assert tokenizer is not jieba.dt  # the global tokenizer is left alone


def test_user_dictionary_words_stay_whole() -> None:
    words = cut_chinese("侨房碉楼银信侨批塘口赤坎自力村")
    assert list(words) == ["侨房", "碉楼", "银信", "侨批", "塘口", "赤坎", "自力村"]
    assert len(USER_DICT.read_text(encoding="utf-8").splitlines()) >= 100


def test_english_is_stemmed_and_case_folded() -> None:
    assert terms("Villas RESTORING Wong's") == ["villa", "restor", "wong"]


def test_positions_are_sequential_with_a_gap_between_parts() -> None:
    found = positions(["开平碉楼", "与村落"])
    assert found["开平"] == [0] and found["碉楼"] == [1]
    assert found["与"] == [2 + PART_GAP]
    analyzed = [(t.text, t.pos) for t in ArchiveAnalyzer()("碉楼与村落", positions=True)]
    assert analyzed == [("碉楼", 0), ("与", 1), ("村落", 2)]


def test_pinyin_syllables() -> None:
    assert ("qiao", "fang") in split_syllables("qiaofang")
    assert ("kai", "ping", "diao", "lou") in split_syllables("kaipingdiaolou")
    assert split_syllables("wxyz") == ()


def test_alias_table_both_directions() -> None:
    table = load_aliases()
    assert len({a.chinese for a in table.rows if a.kind == "surname"}) >= 80
    assert len({a.chinese for a in table.rows if a.kind == "place"}) >= 60
    assert "黄" in table.chinese_for("Wong")
    assert {"伍", "吴"} <= table.chinese_for("NG")
    assert "台山" in table.chinese_for("Toi Shan")
    assert "Toishan" in table.spellings_for("臺山")
    assert "Szeto" in table.spellings_for("司徒")
    assert spelling_key("Sze-to") == "szeto"


def test_jyutping_spellings_are_generated() -> None:
    table = load_aliases()
    assert "台山" in table.chinese_for("toisaan")
    assert "司徒" in table.chinese_for("si tou")
    assert "can" not in table.by_key  # 陈's Jyutping is a common English word: left out
    assert not load_aliases(jyutping=False).chinese_for("toisaan")


def test_aliases_from_rows() -> None:
    table = load_aliases(
        [("余", "Jee", "surname"), {"chinese": "台山", "spelling": "Hoisan"}, Alias("黄", "Vong")], jyutping=False
    )
    assert table.chinese_for("jee") == {"余"}
    assert table.chinese_for("hoisan") == {"台山"}
    assert len(table) == 3
    with pytest.raises(ValueError, match="not an alias row"):
        load_aliases([42], jyutping=False)
