"""Person, family and destinations pages: what they show, what they never show, filters and bad input."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from archive.messages import service_message
from archive.services import SYSTEM, ServiceError
from archive.state import ArchiveState
from tests.conftest import make_house, make_record

SECRET_LAT, SECRET_LON = 22.377771, 112.588882  # the location-private house's own point
HIDDEN_NAME, HIDDEN_CODE = "未公开楼QUUX", "HID-1"
PRIVATE_PERSON = "关秘密XYZZY"
PRIVATE_RECORD = "关崇昌私人信件FROBOZZ"
PRIVATE_PLACE = "秘鲁利马"  # only the private person and the unpublished house went there


def add_person(state: ArchiveState, links: list[tuple[str, str]], **values: Any) -> int:
    from archive.services.houses import get_house
    from archive.services.records import link_person, save_person

    defaults: dict[str, Any] = {"name_zh": "关崇昌", "names_romanised": "Kwan Sung Cheong; Guan Chongchang",
                                "destinations": ["美国旧金山"], "dates_text": "1880–1950", "public": True}
    with state.transaction() as session:
        person = save_person(session, SYSTEM, None, {**defaults, **values})
        for code, role in links:
            link_person(session, SYSTEM, person, get_house(session, code), role)
        return person.id


@pytest.fixture
def diaspora(state: ArchiveState) -> dict[str, int]:
    """三门里 (开平): two location-public houses and one location-private one, all 关; 锦江里: only a
    location-private house (no village position); an unpublished house; a 台山 house built in the 1930s."""
    make_house(state, "SM-1", name_zh="迎龙楼", name_en="Yinglong Lou", village="三门里", family="关",
               lat=22.38001, lon=112.59001, built_text="1915年", destinations=["美国旧金山", "加拿大"])
    make_house(state, "SM-2", name_zh="关族楼", village="三门里", family="关", lat=22.38201, lon=112.59201,
               built_text="1925年", destinations=["三藩市"])
    make_house(state, "SM-3", name_zh="隐庐", village="三门里", family="关", lat=SECRET_LAT, lon=SECRET_LON,
               location_public=False, built_text="1921年", destinations=["澳大利亚悉尼"])
    make_house(state, "JJ-1", name_zh="瑞石楼", village="锦江里", family="黄", lat=22.33111, lon=112.61222,
               location_public=False, built_text="1923年", destinations=["美国纽约"])
    make_house(state, HIDDEN_CODE, name_zh=HIDDEN_NAME, village="三门里", family="关", published=False,
               lat=22.39501, lon=112.60501, built_text="1920年", destinations=["秘鲁利马"])
    make_house(state, "TS-1", name_zh="台山楼", county="台山市", township="端芬镇", village="梅家大院", family="梅",
               lat=22.25, lon=112.79, built_text="1932年", destinations=["墨西哥"])
    public = add_person(state, [("SM-1", "builder"), (HIDDEN_CODE, "owner")],
                        destinations=["美国旧金山", "加拿大域多利"])
    private = add_person(state, [("SM-2", "owner")], name_zh=PRIVATE_PERSON, names_romanised="Secret Kwan",
                         destinations=[PRIVATE_PLACE], public=False)
    informant = add_person(state, [("SM-2", "informant")], name_zh="关老伯", names_romanised=None,
                           destinations=["英国伦敦"])
    hidden_only = add_person(state, [(HIDDEN_CODE, "builder")], name_zh="关未公开", names_romanised=None)
    make_record(state, "SM-1", title="迎龙楼建楼合约", body="立合约人关崇昌，今将本村迎龙楼交由匠人承建。")
    make_record(state, "SM-1", title="Letter from San Francisco", body="Signed Kwan Sung Cheong, 1921.")
    make_record(state, "SM-1", title="村民回忆", body="据村民回忆，楼高三层。")
    make_record(state, "SM-1", title=PRIVATE_RECORD, body="关崇昌寄回家书。", public=False)
    make_record(state, HIDDEN_CODE, title="未公开契约PLUGH", body="关崇昌买地。")
    return {"public": public, "private": private, "informant": informant, "hidden_only": hidden_only}


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_person_page_shows_names_roles_destinations_and_the_records_that_name_them(
        client: FlaskClient, diaspora: dict[str, int]) -> None:
    body = page(client, f"/people/{diaspora['public']}")
    assert "关崇昌" in body and "Kwan Sung Cheong" in body and "Guan Chongchang" in body and "1880–1950" in body
    assert 'href="/houses/SM-1"' in body and "建造者" in body
    assert "美国旧金山" in body and "加拿大域多利" in body
    assert "迎龙楼建楼合约" in body and "Letter from San Francisco" in body  # named in Chinese and romanised
    assert "村民回忆" not in body  # a record of the house that does not name him
    for secret in (PRIVATE_RECORD, HIDDEN_NAME, HIDDEN_CODE, "未公开契约PLUGH"):
        assert secret not in body
    assert re.search(r'href="/families/%E5%85%B3/%E4%B8%89%E9%97%A8%E9%87%8C"', body)  # 关 family of 三门里
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', body)
    assert jsonld and '"@type": "Person"' in jsonld.group(1) and "Kwan Sung Cheong" in jsonld.group(1)
    english = page(client, f"/people/{diaspora['public']}?lang=en")
    assert "San Francisco, United States" in english and "Builder" in english
    hant = page(client, f"/people/{diaspora['public']}?lang=zh_Hant")
    assert "美國舊金山" in hant and "建造者" in hant


def test_private_deleted_and_hidden_people_are_404_for_the_public(
        client: FlaskClient, state: ArchiveState, diaspora: dict[str, int]) -> None:
    from archive.models import Person
    from archive.services.records import set_person_deleted

    body = page(client, f"/people/{diaspora['private']}", 404)
    assert PRIVATE_PERSON not in body and "Secret Kwan" not in body
    page(client, f"/people/{diaspora['hidden_only']}", 404)  # public, but only on an unpublished house
    page(client, "/people/99999", 404)
    page(client, "/people/abc", 404)
    with state.transaction() as session:
        set_person_deleted(session, SYSTEM, session.get(Person, diaspora["informant"]), True)
    page(client, f"/people/{diaspora['informant']}", 404)


def test_staff_see_private_people_and_unpublished_houses(researcher: FlaskClient, diaspora: dict[str, int]) -> None:
    body = page(researcher, f"/people/{diaspora['private']}?lang=en")
    assert PRIVATE_PERSON in body and "Only staff see this person." in body
    body = page(researcher, f"/people/{diaspora['public']}")
    assert HIDDEN_CODE in body and PRIVATE_RECORD in body and "未公开契约PLUGH" in body


def test_house_page_links_people_and_family(client: FlaskClient, diaspora: dict[str, int]) -> None:
    body = page(client, "/houses/SM-1")
    assert f'href="/people/{diaspora["public"]}"' in body
    assert 'href="/families/%E5%85%B3/%E4%B8%89%E9%97%A8%E9%87%8C"' in body
    body = page(client, "/houses/SM-2")
    assert PRIVATE_PERSON not in body and f'/people/{diaspora["private"]}"' not in body
    assert f'href="/people/{diaspora["informant"]}"' in body


def test_families_group_houses_and_people_of_a_lineage_in_a_village(
        client: FlaskClient, diaspora: dict[str, int]) -> None:
    listing = page(client, "/families")
    rows = re.findall(r"<tr>\s*<td><a href=\"(/families/[^\"]+)\">([^<]+)</a></td>.*?"
                      r"<td class=\"tally\">(\d+)</td>", listing, re.S)
    found = {name: int(count) for _href, name, count in rows}
    assert found == {"关": 3, "黄": 1, "梅": 1}  # the unpublished 关 house is not counted
    assert set(re.findall(r"<tr>\s*<td><a href=\"/families/[^\"]+\">([^<]+)</a>",
                          page(client, "/families?county=台山市"))) == {"梅"}
    family = page(client, "/families/关/三门里")
    for code in ("SM-1", "SM-2", "SM-3"):
        assert f'href="/houses/{code}"' in family
    assert f'href="/people/{diaspora["public"]}"' in family and "关老伯" in family
    for secret in (HIDDEN_CODE, HIDDEN_NAME, PRIVATE_PERSON, "Secret Kwan", PRIVATE_PLACE):
        assert secret not in family
    english = page(client, "/families/关/三门里?lang=en")
    assert "Guan (关) family of Sanmen" in english and "Kwan" in english
    page(client, "/families/关/锦江里", 404)
    page(client, "/families/无此姓/三门里", 404)


def destinations(client: FlaskClient, query: str = "") -> dict[str, Any]:
    response = client.get("/destinations.json" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    data: dict[str, Any] = response.get_json()
    return data


def test_destinations_json_places_villages_and_lines(client: FlaskClient, diaspora: dict[str, int]) -> None:
    data = destinations(client)
    places = {d["key"]: d for d in data["destinations"]}
    # SM-1 and SM-2 (三藩市 is San Francisco), the builder of SM-1 (a public person) adds 域多利 = Victoria.
    assert places["美国/旧金山"]["houses"] == 2 and places["美国/旧金山"]["lat"] == 37.77
    assert places["加拿大/维多利亚"]["houses"] == 1
    assert set(places) == {"美国/旧金山", "加拿大", "加拿大/维多利亚", "澳大利亚/悉尼", "美国/纽约", "墨西哥"}
    # Not the unpublished house's or the private person's 秘鲁利马, nor the informant's 伦敦.
    assert villages_of(data) == {"三门里", "梅家大院"}
    sanmen = next(v for v in data["villages"] if v["name"] == "三门里")
    assert (sanmen["lat"], sanmen["lon"]) == (round((22.38001 + 22.38201) / 2, 3), round((112.59001 + 112.59201) / 2, 3))
    index = data["villages"].index(sanmen)
    assert [index, "澳大利亚/悉尼", 1] in data["lines"]  # the location-private SM-3, from its village
    assert not any(line[1] == "美国/纽约" for line in data["lines"])  # 锦江里 has no public point: no line
    body = client.get("/destinations.json").get_data(as_text=True)
    for secret in ("22.37777", "112.58888", "22.33111", "112.61222", "22.395", "112.605", HIDDEN_CODE, "利马", "伦敦", "XYZZY"):
        assert secret not in body


def villages_of(data: dict[str, Any]) -> set[str]:
    return {v["name"] for v in data["villages"]}


def test_destinations_page_table_and_privacy(client: FlaskClient, diaspora: dict[str, int]) -> None:
    body = page(client, "/destinations")
    assert 'id="diaspora-map"' in body and 'data-source="/destinations.json?lang=zh_Hans"' in body
    assert 'href="/houses/SM-3"' in body and 'href="/houses/JJ-1"' in body  # listed even without a line
    assert f'href="/people/{diaspora["public"]}"' in body
    assert "5 houses with a destination abroad" in page(client, "/destinations?lang=en")
    for secret in (HIDDEN_CODE, HIDDEN_NAME, PRIVATE_PERSON, "利马", "Lima", "伦敦", "22.37777", "112.58888"):
        assert secret not in body


def test_destinations_filtered_by_county_and_period(client: FlaskClient, diaspora: dict[str, int]) -> None:
    assert {d["key"] for d in destinations(client, "?county=台山市")["destinations"]} == {"墨西哥"}
    # 1920s: SM-2 (1925, 三藩市), SM-3 (1921, 悉尼), JJ-1 (1923, 纽约); not SM-1 (1915) nor TS-1 (1932).
    keys = {d["key"] for d in destinations(client, "?from=1920&to=1920")["destinations"]}
    assert keys == {"美国/旧金山", "澳大利亚/悉尼", "美国/纽约"}
    assert {d["key"] for d in destinations(client, "?from=1930")["destinations"]} == {"墨西哥"}
    assert {d["key"] for d in destinations(client, "?to=1919")["destinations"]} == {
        "美国/旧金山", "加拿大", "加拿大/维多利亚"}
    assert destinations(client, "?county=无此县")["destinations"] == []
    body = page(client, "/destinations?county=开平市&from=1920&to=1920&lang=en")
    assert 'data-source="/destinations.json?lang=en&amp;county=' in body
    assert re.search(r'<option value="1920" selected>1920s</option>', body)
    assert 'href="/houses/SM-1"' not in body and 'href="/houses/SM-3"' in body


def test_destinations_page_lists_a_dozen_houses_per_place_and_links_the_rest(
        state: ArchiveState, client: FlaskClient, diaspora: dict[str, int]) -> None:
    """A place many houses went to shows the first twelve and a link to that place alone, which
    lists them all (the page stays small for a province's survey); the map's JSON filters alike."""
    for n in range(14):
        make_house(state, f"MX-{n:02}", name_zh=f"墨楼{n:02}", county="台山市", village="梅家大院",
                   destinations=["墨西哥"])
    body = page(client, "/destinations?lang=en")
    listed = set(re.findall(r'href="/houses/(MX-\d\d|TS-1)"', body))
    assert len(listed) == 12  # of the 15 houses that went to Mexico
    link = re.search(r'<a href="(/destinations\?[^"]*place=[^"]+)">and 3 more houses</a>', body)
    assert link, body
    whole = page(client, html.unescape(link.group(1)))
    assert set(re.findall(r'href="/houses/(MX-\d\d|TS-1)"', whole)) == {f"MX-{n:02}" for n in range(14)} | {"TS-1"}
    assert 'href="/houses/SM-1"' not in whole and "more houses" not in whole
    assert "15 houses with a destination abroad" in whole
    only = destinations(client, "?place=墨西哥")
    assert [d["key"] for d in only["destinations"]] == ["墨西哥"] and only["destinations"][0]["houses"] == 15
    assert destinations(client, "?place=无此地")["destinations"] == []


@pytest.mark.parametrize(("query", "english", "error"), [
    ("?from=abc", "A period is given as years such as 1920", ("bad_period", "from", {"value": "abc"})),
    ("?to=99999", "not 99999", ("bad_period", "to", {"value": "99999"})),
    ("?from=1930&to=1910", "The period starts (1930) after it ends (1910).",
     ("period_order", "from", {"start": 1930, "end": 1910})),
])
def test_bad_period_is_a_400_with_a_message(app: Flask, client: FlaskClient, diaspora: dict[str, int], query: str,
                                            english: str, error: tuple[str, str, dict[str, Any]]) -> None:
    response = client.get("/destinations.json" + query + "&lang=en")
    assert response.status_code == 400
    assert english in response.get_json()["error"]["message"]
    assert response.get_json()["error"]["code"] == error[0]
    body = page(client, "/destinations" + query + "&lang=en", 400)
    assert english in body and 'class="flash error"' in body and 'id="diaspora-map"' not in body
    # In Chinese, the catalogue's sentence for the same error (the message catalogue, not the English).
    with app.test_request_context("/?lang=zh_Hans"):
        chinese = service_message(ServiceError(error[0], error[1], min=1000, max=2100, **error[2]))
    assert html.escape(chinese, quote=False) in page(client, "/destinations" + query + "&lang=zh_Hans", 400)


def test_sitemap_lists_public_people_and_families(app: Flask, client: FlaskClient, diaspora: dict[str, int]) -> None:
    body = page(client, "/sitemap.xml")
    assert f"/people/{diaspora['public']}<" in body and f"/people/{diaspora['informant']}<" in body
    assert f"/people/{diaspora['private']}<" not in body and f"/people/{diaspora['hidden_only']}<" not in body
    assert "/families/%E5%85%B3/%E4%B8%89%E9%97%A8%E9%87%8C<" in body and "/destinations<" in body
    urls = re.findall(r"<loc>([^<]+)</loc>", body)
    assert len(urls) == len(set(urls))
    app.config["SITEMAP_PAGE_SIZE"] = 4  # the index's page count agrees with the entries, people included
    pages = re.findall(r"<loc>http://localhost(/sitemap-\d+\.xml)</loc>", page(client, "/sitemap.xml"))
    assert len(pages) == -(-len(urls) // 4)
    assert [u for p in pages for u in re.findall(r"<loc>([^<]+)</loc>", page(client, p))] == urls


def test_demo_people_and_destinations_show(state: ArchiveState, client: FlaskClient) -> None:
    """The demonstration set's people have pages and its destinations are on the map data."""
    from archive.demo.dataset import demo_rows
    from archive.demo.linked import demo_people
    from archive.services.demo_people import load_people

    planned = demo_rows()[0][:6]
    for house in planned:
        make_house(state, house.code, name_zh=house.name_zh, village=house.village.name, family=house.builder.surname,
                   lat=22.3 + len(house.code) / 1000, lon=112.5, destinations=[zh for zh, _ in house.destinations])
    with state.transaction() as session:
        added = load_people(session, SYSTEM, demo_people(planned, 7))
    assert added >= 12
    data = destinations(client)
    assert data["destinations"] and data["lines"]
    listing = page(client, "/houses/" + planned[0].code)
    person = re.search(r'href="(/people/\d+)"', listing)
    assert person and planned[0].builder.name in page(client, person.group(1))
