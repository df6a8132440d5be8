"""The gazetteer's English forms: established names, pinyin with suffixes, destinations, 繁體 by s2tw."""

from __future__ import annotations

import pytest

from archive.services.gazetteer import generate_en, source_of, to_hant


@pytest.mark.parametrize(("name", "kind", "english"), [
    ("台山市", "county", "Taishan (Toishan)"),  # established, with the diaspora's spelling
    ("开平市", "county", "Kaiping (Hoiping)"),
    ("中山市", "city", "Zhongshan (Chungshan)"),
    ("广东省", "province", "Guangdong"),
    ("江门市", "city", "Jiangmen"),  # county level and above: the suffix dropped
    ("南安市", "county", "Nan'an"),  # apostrophe before a syllable starting with a vowel
    ("塘口镇", "township", "Tangkou Town"),  # below county level: the suffix translated
    ("南区街道", "township", "Nanqu Subdistrict"),
    ("自力村", "village", "Zili Village"),
    ("亭店社区", "village", "Tingdian Community"),
    ("锦江里", "village", "Jinjiangli"),  # 里 is part of the name
    ("夏村", "village", "Xiacun"),  # a one-character stem keeps its suffix
    ("马降龙村", "village", "Majianglong Village"),  # pypinyin would read 降 xiang
    ("美国旧金山", "destination", "San Francisco, United States"),
    ("印度加尔各答", "destination", "Kolkata (Calcutta), India"),
    ("新加坡", "destination", "Singapore"),
    ("美国", "country", "United States"),
    ("Gold Mountain", "destination", "Gold Mountain"),
])
def test_english_forms(name: str, kind: str, english: str) -> None:
    assert generate_en(name, kind) == english


def test_sources_and_traditional_forms() -> None:
    assert source_of("台山市") == "established"
    assert source_of("端芬镇") == "generated"
    assert to_hant("台山市端芬镇") == "台山市端芬鎮"  # s2tw keeps 台 (s2t would too; 臺 is not how 台山 is written)
    assert to_hant("亭店社区") == "亭店社區"  # s2twp would give 社群
    assert to_hant("为乡里所用") == "為鄉里所用"  # s2t would give 爲
