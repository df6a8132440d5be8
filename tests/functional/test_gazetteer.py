"""Issue 11, items 11 and 12: places in English and 繁體 (the gazetteer), Gregorian years, OpenCC, lang tags."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import AuditEvent, PlaceName
from archive.state import ArchiveState
from tests.conftest import csrf_token, make_house, make_record

TAISHAN = {
    "code": "TS-DJ-001", "name_zh": "瑞云楼", "name_en": "Ruiyun Lou", "province": "广东省", "city": "江门市",
    "county": "台山市", "township": "端芬镇", "village": "庙边村", "built_text": "民国十五年",
    "destinations": ["美国旧金山", "加拿大"], "summary_zh": "这座碉楼由旅美华侨集资兴建，为乡里防盗所用。",
    "materials": "钢筋混凝土", "published": True,
}
EN = {"Accept-Language": "en"}
HANT = {"Accept-Language": "zh-TW"}


def _entries(state: ArchiveState) -> dict[tuple[str, str], PlaceName]:
    with state.db.session(write=False) as db:
        return {(p.kind, p.name): p for p in db.scalars(select(PlaceName))}


def test_saving_a_house_seeds_the_gazetteer_with_established_and_generated_names(state: ArchiveState) -> None:
    make_house(state, **TAISHAN)
    found = _entries(state)
    assert found[("county", "台山市")].en == "Taishan (Toishan)"
    assert found[("county", "台山市")].source == "established"
    assert found[("county", "台山市")].zh_hant == "台山市"  # s2tw: 台 is not turned into 臺
    assert found[("province", "广东省")].en == "Guangdong"
    assert found[("township", "端芬镇")].en == "Duanfen Town"
    assert found[("township", "端芬镇")].source == "generated"
    assert found[("village", "庙边村")].en == "Miaobian Village"
    assert found[("village", "庙边村")].zh_hant == "廟邊村"
    assert found[("destination", "美国旧金山")].en == "San Francisco, United States"
    assert found[("country", "美国")].en == "United States"
    assert found[("country", "加拿大")].en == "Canada"


def test_staff_edit_is_audited_and_never_overwritten_by_refresh(state: ArchiveState, editor: FlaskClient,
                                                                 runner: object) -> None:
    make_house(state, **TAISHAN)
    entry = _entries(state)[("township", "端芬镇")]
    token = csrf_token(editor, "/staff/gazetteer")
    response = editor.post(f"/staff/gazetteer/{entry.id}", data={
        "csrf_token": token, "en": "Duanfen (Tyun Fun)", "zh_hant": "端芬鎮"}, headers=EN)
    assert response.status_code == 303
    refused = editor.post(f"/staff/gazetteer/{entry.id}", data={"csrf_token": token, "en": " ", "zh_hant": "x"},
                          headers=EN, follow_redirects=True)
    assert "This field is required." in refused.get_data(as_text=True)
    result = runner.invoke(["gazetteer", "--refresh"])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert "1 edited by staff kept" in result.output
    kept = _entries(state)[("township", "端芬镇")]
    assert (kept.en, kept.source, kept.updated_by) == ("Duanfen (Tyun Fun)", "staff", "editor1")
    with state.db.session(write=False) as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "placename")).one()
    assert event.changes["en"] == ["Duanfen Town", "Duanfen (Tyun Fun)"]
    listing = runner.invoke(["gazetteer", "--kind", "township"])  # type: ignore[attr-defined]
    assert "端芬镇\t端芬鎮\tDuanfen (Tyun Fun)\tstaff" in listing.output


def test_gazetteer_edit_needs_an_editor_and_csrf(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, **TAISHAN)
    entry = _entries(state)[("county", "台山市")]
    assert client.post(f"/staff/gazetteer/{entry.id}", data={"en": "X", "zh_hant": "X"}).status_code in (302, 400, 401, 403)
    assert _entries(state)[("county", "台山市")].en == "Taishan (Toishan)"


def test_english_house_page_shows_english_places_and_the_gregorian_year(state: ArchiveState,
                                                                          client: FlaskClient) -> None:
    make_house(state, **TAISHAN)
    body = client.get("/houses/TS-DJ-001", headers=EN).get_data(as_text=True)
    assert '<html lang="en">' in body
    assert re.search(r"<title>Ruiyun Lou · Taishan \(Toishan\)", body)
    assert "Miaobian Village, Duanfen Town, Taishan (Toishan), Jiangmen, Guangdong" in body
    assert '<span class="place-zh" lang="zh-Hans">广东省江门市台山市端芬镇庙边村</span>' in body
    assert '<span lang="zh-Hans">民国十五年</span> <span class="year-range">(1926)</span>' in body
    assert '<span lang="en">San Francisco, United States</span>; <span lang="en">Canada</span>' in body
    assert '<span class="name-zh" lang="zh-Hans">瑞云楼</span>' in body
    assert '<p lang="zh-Hans">这座碉楼由旅美华侨集资兴建' in body
    assert "美国旧金山" not in body.split("Overseas destinations")[1].split("</dd>")[0]


def test_gallery_filters_in_english_keep_chinese_values(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, **TAISHAN)
    body = client.get("/", headers=EN).get_data(as_text=True)
    assert re.search(r'<option value="台山市"\s*>\s*Taishan \(Toishan\) \(1\)', body)
    assert '<span lang="en">Duanfen Town</span>' in body  # the card's place line
    assert client.get("/?county=台山市", headers=EN).get_data(as_text=True).count('class="house-card"') == 1


def test_search_facets_in_english_show_english_labels_and_link_chinese_values(state: ArchiveState,
                                                                             client: FlaskClient) -> None:
    make_house(state, **TAISHAN)
    body = client.get("/search?q=碉楼", headers=EN).get_data(as_text=True)
    assert '<span lang="en">Taishan (Toishan)</span>' in body
    assert '<span lang="en">Miaobian Village</span>' in body
    assert '<span lang="en">United States</span>' in body
    assert "county=%E5%8F%B0%E5%B1%B1%E5%B8%82" in body  # the link filters by 台山市 as stored
    assert '<span lang="zh-Hans">瑞云楼' in body  # the hit's house name, tagged as Chinese


def test_traditional_page_converts_descriptive_text_but_not_names(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, **{**TAISHAN, "name_zh": "云龙庐"})
    make_record(state, "TS-DJ-001", title="黄国华口述", body="这座楼是华侨寄钱回乡建的。", date_text="1930年代")
    body = client.get("/houses/TS-DJ-001", headers=HANT).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in body
    assert '<p lang="zh-Hant">這座碉樓由旅美華僑集資興建，為鄉里防盜所用。</p>' in body  # s2tw: 為, not 爲
    assert '<span class="name-zh" lang="zh-Hans">云龙庐</span>' in body  # a name stays as written
    assert "雲龍廬" not in body
    assert "黄国华口述" in body  # record titles are catalogue text
    assert "這座樓是華僑寄錢回鄉建的。" in body
    assert "廣東省 江門市 台山市 端芬鎮 廟邊村" in body
    assert '<dd lang="zh-Hant">鋼筋混凝土</dd>' in body
    assert "美國舊金山" in body


def test_simplified_page_shows_places_as_stored(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, **TAISHAN)
    body = client.get("/houses/TS-DJ-001", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in body
    assert "广东省 江门市 台山市 端芬镇 庙边村" in body
    assert "Toishan" not in body


def test_init_gives_places_already_in_an_upgraded_archive_their_entries(state: ArchiveState, runner: object) -> None:
    from archive.models import House

    with state.transaction() as db:  # written around the services (as an old archive's rows were)
        db.add(House(code="EP-01", name_zh="旧楼", county="恩平市", township="圣堂镇", village="歇马村"))
    assert ("county", "恩平市") not in _entries(state)
    result = runner.invoke(["init"])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert "gazetteer entries added" in result.output
    found = _entries(state)
    assert found[("county", "恩平市")].en == "Enping (Yanping)"
    assert found[("village", "歇马村")].en == "Xiema Village"
