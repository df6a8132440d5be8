"""OAI-PMH harvested by a real client (Sickle) over HTTP, compared with the database.

A whole harvest across resumption pages, then edits (a public field, a private field, a house
deleted, one unpublished, one renamed, a record made public) and an incremental harvest with
`from`; the protocol's errors asked for directly and read with lxml.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sickle import Sickle
from sickle.oaiexceptions import BadArgument, BadResumptionToken, IdDoesNotExist, NoRecordsMatch
from sqlalchemy import select
from werkzeug.serving import make_server

from archive.access import PUBLIC, house_filter
from archive.models import House, OaiItem
from archive.services import SYSTEM
from archive.services.houses import delete_house, get_house, set_published, update_house
from archive.services.oai_state import now_stamp
from archive.services.records import get_record, update_record
from archive.services.searching import drain_queue
from archive.state import ArchiveState
from tests.conftest import make_house, make_record

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFIX = "oai:localhost:house/"


@pytest.fixture
def endpoint(app: Flask) -> Iterator[str]:
    """The app served over real HTTP on a free port, three items per page."""
    app.config["OAI_PAGE_SIZE"] = 3
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}/oai"
    server.shutdown()
    thread.join()


@pytest.fixture
def archive(state: ArchiveState) -> None:
    for n in range(1, 8):
        make_house(state, f"KP-{n:03d}", name_zh=f"开平楼{n}", name_en=f"Kaiping House {n}", lat=22.3 + n / 100,
                   lon=112.5, summary_zh="简介", summary_en="A summary")
    for n in range(1, 4):
        make_house(state, f"TS-{n:03d}", county="台山市", township="端芬镇", village="庙边村", name_zh=f"台山楼{n}",
                   name_en=None)
    make_house(state, "HIDDEN-001", published=False, name_zh="未公开楼")
    make_house(state, "GONE-001", name_zh="已删楼")
    make_house(state, "SECRET-LOC", name_zh="位置保密楼", lat=21.987654, lon=111.123456, location_public=False,
               owner="秘密产权人")
    with state.transaction() as db:
        delete_house(db, SYSTEM, get_house(db, "GONE-001"))
    drain_queue(state)
    make_record(state, "KP-001", title="公开口述")
    make_record(state, "KP-002", title="私人口述", public=False)


def public_codes(state: ArchiveState) -> set[str]:
    with state.db.session(write=False) as db:
        return set(db.scalars(select(House.code).where(house_filter(PUBLIC))))


def code_of(identifier: str) -> str:
    assert identifier.startswith(PREFIX), identifier
    return identifier[len(PREFIX):]


@pytest.mark.usefixtures("archive")
def test_full_harvest_matches_the_database(endpoint: str, state: ArchiveState) -> None:
    sickle = Sickle(endpoint)
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    live = {code_of(r.header.identifier): r for r in records if not r.header.deleted}
    assert set(live) == public_codes(state) and len(live) == 11  # over four pages of three
    # GONE-001 was public, then deleted: it is reported as deleted, not left out.
    assert [code_of(r.header.identifier) for r in records if r.header.deleted] == ["GONE-001"]
    kp1 = live["KP-001"]
    assert kp1.metadata["title"] == ["开平楼1", "Kaiping House 1"]
    titles = kp1.xml.findall(".//dc:title", NS)
    assert [(t.text, t.get(XML_LANG)) for t in titles] == [("开平楼1", "zh"), ("Kaiping House 1", "en")]
    assert {(d.text, d.get(XML_LANG)) for d in kp1.xml.findall(".//dc:description", NS)} == {
        ("简介", "zh"), ("A summary", "en")}
    assert "east=112.50000; north=22.31000" in kp1.metadata["coverage"]
    site = endpoint.removesuffix("/oai")
    assert [r for r in kp1.metadata["relation"] if "/records/" in r] == [f"{site}/records/1"]
    assert kp1.header.setSpecs == ["county", "county:kaipingshi"]
    hidden = live["SECRET-LOC"]
    assert not any("north=" in c for c in hidden.metadata["coverage"])
    assert "秘密产权人" not in etree.tostring(hidden.xml, encoding="unicode")

    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=True))
    assert {code_of(h.identifier) for h in headers} == set(live)
    taishan = {code_of(h.identifier) for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="county:taishanshi")}
    assert taishan == {"TS-001", "TS-002", "TS-003"}
    sets = {s.setSpec: s.setName for s in sickle.ListSets()}
    assert sets == {"county": "区县 Counties", "county:kaipingshi": "开平市 Kaiping", "county:taishanshi": "台山市 Taishan"}
    identify = sickle.Identify()
    assert identify.deletedRecord == "persistent" and identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.protocolVersion == "2.0" and identify.baseURL == endpoint
    one = sickle.GetRecord(identifier=f"{PREFIX}TS-002", metadataPrefix="oai_dc")
    assert one.metadata["title"] == ["台山楼2"] and one.metadata["identifier"][0].endswith("/houses/TS-002")
    assert [f.metadataPrefix for f in sickle.ListMetadataFormats(identifier=f"{PREFIX}KP-003")] == ["oai_dc"]
    with pytest.raises(IdDoesNotExist):
        sickle.GetRecord(identifier=f"{PREFIX}HIDDEN-001", metadataPrefix="oai_dc")


def _age_all_items(state: ArchiveState, days: int) -> None:
    """As if everything so far had happened `days` ago (datestamps have one-second granularity)."""
    with state.transaction() as db:
        for item in db.scalars(select(OaiItem)):
            item.datestamp = item.datestamp - timedelta(days=days)


@pytest.mark.usefixtures("archive")
def test_incremental_harvest_after_edits(endpoint: str, state: ArchiveState) -> None:
    _age_all_items(state, 3)
    with state.transaction() as db:
        update_house(db, SYSTEM, get_house(db, "KP-003"), {"name_zh": "新名楼"})
        update_house(db, SYSTEM, get_house(db, "KP-004"), {"owner": "新产权人"})  # private: not a change
        delete_house(db, SYSTEM, get_house(db, "KP-005"))
        set_published(db, SYSTEM, get_house(db, "TS-001"), False)
        update_house(db, SYSTEM, get_house(db, "TS-002"), {"code": "TS-202"})
        update_record(db, SYSTEM, get_record(db, 2), {"public": True})  # KP-002 gains a relation
    drain_queue(state)
    sickle = Sickle(endpoint)
    since = (now_stamp() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    changed = {code_of(r.header.identifier): r
               for r in sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **{"from": since})}
    assert set(changed) == {"KP-003", "KP-005", "TS-001", "TS-002", "TS-202", "KP-002"}
    assert {c for c, r in changed.items() if r.header.deleted} == {"KP-005", "TS-001", "TS-002"}
    assert changed["KP-003"].metadata["title"][0] == "新名楼"
    assert f"{endpoint.removesuffix('/oai')}/records/2" in changed["KP-002"].metadata["relation"]
    # Day granularity: `until` three days back gives the untouched rest, `from` today the changes.
    today = now_stamp().strftime("%Y-%m-%d")
    old_day = (now_stamp() - timedelta(days=3)).strftime("%Y-%m-%d")
    assert {code_of(h.identifier) for h in sickle.ListIdentifiers(
        metadataPrefix="oai_dc", **{"from": today})} == set(changed)
    untouched = {code_of(h.identifier) for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", until=old_day)}
    assert "KP-004" in untouched and not untouched & set(changed)
    # Published again: back as a live record with a new datestamp.
    with state.transaction() as db:
        set_published(db, SYSTEM, get_house(db, "TS-001"), True)
    record = sickle.GetRecord(identifier=f"{PREFIX}TS-001", metadataPrefix="oai_dc")
    assert not record.header.deleted and record.metadata["title"] == ["台山楼1"]


def oai(client: FlaskClient, query: str) -> tuple[str | None, Any]:
    response = client.get(f"/oai?{query}")
    assert response.status_code == 200 and response.mimetype == "text/xml"
    root = etree.fromstring(response.data)
    error = root.find("o:error", NS)
    return (error.get("code") if error is not None else None), root


BAD_REQUESTS = [
    ("", "badVerb"), ("verb=Nonsense", "badVerb"), ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=ListRecords", "badArgument"), ("verb=Identify&extra=1", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:00", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-02-01T00:00:00Z", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-01&until=2024-01-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=", "badArgument"), ("verb=ListRecords&metadataPrefix=", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument"),
    ("verb=GetRecord&identifier=oai:localhost:house/KP-001", "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:localhost:house/KP-001&metadataPrefix=mods", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:localhost:house/NOPE&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=GetRecord&identifier=oai:elsewhere.org:house/KP-001&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=ListMetadataFormats&identifier=oai:localhost:house/HIDDEN-001", "idDoesNotExist"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01", "noRecordsMatch"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=county:nowhere", "noRecordsMatch"),
    ("verb=ListRecords&resumptionToken=garbled", "badResumptionToken"),
    ("verb=ListSets&resumptionToken=anything", "badResumptionToken"),
]


@pytest.mark.usefixtures("archive")
def test_protocol_errors(client: FlaskClient) -> None:
    for query, code in BAD_REQUESTS:  # one archive for all of them
        found, root = oai(client, query)
        assert found == code, query
        request = root.find("o:request", NS)
        assert request.text == "http://localhost/oai"
        if code in ("badVerb", "badArgument"):
            assert dict(request.attrib) == {}, query  # the protocol: no attributes echoed for these


@pytest.mark.usefixtures("archive")
def test_resumption_tokens_are_signed_and_expire(client: FlaskClient, app: Flask, monkeypatch: Any) -> None:
    app.config["OAI_PAGE_SIZE"] = 4
    _none, first = oai(client, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    token = first.find(".//o:resumptionToken", NS)
    assert token.get("completeListSize") == "12" and token.get("cursor") == "0" and token.get("expirationDate")
    found, second = oai(client, f"verb=ListIdentifiers&resumptionToken={token.text}")
    assert found is None and second.find(".//o:resumptionToken", NS).get("cursor") == "4"
    tampered = token.text[:-1] + ("0" if token.text[-1] != "0" else "1")
    assert oai(client, f"verb=ListIdentifiers&resumptionToken={tampered}")[0] == "badResumptionToken"
    assert oai(client, f"verb=ListRecords&resumptionToken={token.text}")[0] == "badResumptionToken"  # other verb
    import archive.services.oai as service

    monkeypatch.setattr(service, "TOKEN_LIFETIME", timedelta(seconds=-5))
    _none, page = oai(client, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    expired = page.find(".//o:resumptionToken", NS).text
    assert oai(client, f"verb=ListIdentifiers&resumptionToken={expired}")[0] == "badResumptionToken"


@pytest.mark.usefixtures("archive")
def test_sickle_raises_the_protocol_errors(endpoint: str) -> None:
    sickle = Sickle(endpoint)
    with pytest.raises(NoRecordsMatch):
        list(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
    with pytest.raises(BadArgument):
        sickle.ListRecords(metadataPrefix="oai_dc", until="not-a-date")
    with pytest.raises(BadResumptionToken):
        sickle.ListRecords(resumptionToken="nonsense")


@pytest.mark.usefixtures("archive")
def test_post_requests_and_last_page_token(client: FlaskClient, app: Flask) -> None:
    app.config["OAI_PAGE_SIZE"] = 10
    response = client.post("/oai", data={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    root = etree.fromstring(response.data)
    token = root.find(".//o:resumptionToken", NS)
    last = etree.fromstring(client.post("/oai", data={"verb": "ListIdentifiers", "resumptionToken": token.text}).data)
    end = last.find(".//o:resumptionToken", NS)
    assert end.text is None and end.get("cursor") == "10" and end.get("completeListSize") == "12"
    assert len(last.findall(".//o:header", NS)) == 2


@pytest.mark.usefixtures("archive")
def test_datestamp_moves_only_when_the_public_view_changes(state: ArchiveState) -> None:
    _age_all_items(state, 3)

    def stamp(code: str) -> Any:
        with state.db.session(write=False) as db:
            return db.scalar(select(OaiItem.datestamp).where(OaiItem.code == code))

    before = stamp("KP-006")
    with state.transaction() as db:
        update_house(db, SYSTEM, get_house(db, "KP-006"), {"owner": "另一个人", "owner_contact": "123"})
    assert stamp("KP-006") == before
    with state.transaction() as db:
        update_house(db, SYSTEM, get_house(db, "KP-006"), {"summary_en": "New text"})
    assert stamp("KP-006") > before


@pytest.mark.usefixtures("archive")
def test_identify_describes_identifiers_of_a_dotted_repository_id(client: FlaskClient, app: Flask) -> None:
    app.config["OAI_REPOSITORY_ID"] = "qiaofang.example.org"
    app.config["OAI_ADMIN_EMAIL"] = "archive@example.org"
    _none, root = oai(client, "verb=Identify")
    ns = {**NS, "i": "http://www.openarchives.org/OAI/2.0/oai-identifier"}
    assert root.findtext(".//o:adminEmail", namespaces=ns) == "archive@example.org"
    assert root.findtext(".//i:repositoryIdentifier", namespaces=ns) == "qiaofang.example.org"
    assert root.findtext(".//i:sampleIdentifier", namespaces=ns) == "oai:qiaofang.example.org:house/GONE-001"
    found, record = oai(client, "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:qiaofang.example.org:house/KP-001")
    assert found is None and record.findtext(".//dc:title", namespaces=ns) == "开平楼1"


def add_photo(state: ArchiveState, house: str) -> int:
    import io

    from PIL import Image

    from archive.services.photos import record_photo, stage_upload

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    staged = stage_upload(state.store, state.derivatives_dir, buffer, "门楼.jpg")
    with state.transaction() as db:
        photo_id: int = record_photo(db, SYSTEM, get_house(db, house), staged).photo.id  # private by default
    return photo_id


@pytest.mark.usefixtures("archive")
def test_photo_made_public_moves_the_datestamp(state: ArchiveState, client: FlaskClient) -> None:
    from archive.models import Photo
    from archive.services.photos import update_photo

    _age_all_items(state, 3)
    photo_id = add_photo(state, "KP-007")
    since = (now_stamp() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert oai(client, f"verb=ListIdentifiers&metadataPrefix=oai_dc&from={since}")[0] == "noRecordsMatch"
    with state.transaction() as db:
        photo = db.get(Photo, photo_id)
        assert photo is not None
        update_photo(db, SYSTEM, photo, {"public": True})
        sha256 = photo.sha256
    found, root = oai(client, f"verb=ListRecords&metadataPrefix=oai_dc&from={since}")
    assert found is None
    assert [code_of(i.text) for i in root.findall(".//o:identifier", NS)] == ["KP-007"]
    assert f"http://localhost/media/d/{sha256}/medium.jpg" in [r.text for r in root.findall(".//dc:relation", NS)]


@pytest.mark.usefixtures("archive")
def test_oai_sync_catches_a_change_made_outside_the_services(state: ArchiveState, runner: Any) -> None:
    _age_all_items(state, 3)
    with state.transaction() as db:  # as a raw SQL fix would: no house queued, no datestamp moved
        db.execute(House.__table__.update().where(House.code == "KP-001").values(name_zh="改名楼"))
    assert runner.invoke(["oai-sync"]).output.strip() == "oai-sync: 1 records changed (new datestamp)"
    with state.db.session(write=False) as db:
        fresh = db.scalars(select(OaiItem.code).where(OaiItem.datestamp > now_stamp() - timedelta(hours=1)))
        assert list(fresh) == ["KP-001"]
    assert "0 records changed" in runner.invoke(["oai-sync"]).output
