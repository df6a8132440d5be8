"""A small catalogue with private things planted in every corner, for the JSON API's tests.

Public: PUB-001 (location private: its point and address must not reach the public), PUB-002 (in
another township), their public records, people and photos. Private: HIDDEN-001 (unpublished, in
秘密县 秘密村), GONE-001 (published but deleted), a private record, a private person, a private
photo, and public things that hang only on the hidden or deleted house.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from archive.services import SYSTEM
from archive.services.houses import delete_house, get_house
from archive.services.photos import record_photo, stage_upload
from archive.services.records import link_person, save_person
from archive.state import ArchiveState
from tests.conftest import make_house, make_record

SECRET_LAT, SECRET_LON = 22.123457, 112.654321
SECRET_ADDRESS = "隐秘巷88号QWERTY"
# Strings that only private things carry; none may be in any anonymous answer.
PLANTED = (
    "HIDDEN-001", "GONE-001", "秘密县", "秘密村", "未公开楼PLUGH", "22.12345", "112.65432", SECRET_ADDRESS,
    "私人口述FROBOZZ", "隐藏楼口述XYZZY", "私人PERSONA", "隐藏人物PERSONB", "私人笔记NOTESC", "私人照片.jpg",
    "隐藏楼照片.jpg", "已删楼照片.jpg", "owner_contact", "original_name", "\"sha256\"",
)


@dataclass
class Catalogue:
    record_public: int
    record_private: int
    record_hidden_only: int
    record_shared: int
    person_public: int
    person_private: int
    person_hidden_only: int
    photo_public: int
    photo_private: int
    photo_hidden_house: int
    photo_gone_house: int


def add_photo(state: ArchiveState, house: str, name: str, *, public: bool, colour: int) -> int:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (colour, 80, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    staged = stage_upload(state.store, state.derivatives_dir, buffer, name)
    with state.transaction() as db:
        photo_id: int = record_photo(db, SYSTEM, get_house(db, house), staged, public=public,
                                     caption_zh=f"{name} 题注").photo.id
    return photo_id


def add_person(state: ArchiveState, name: str, links: list[tuple[str, str]], **values: object) -> int:
    with state.transaction() as db:
        person = save_person(db, SYSTEM, None, {"name_zh": name, **values})
        for code, role in links:
            link_person(db, SYSTEM, person, get_house(db, code), role)
        person_id: int = person.id
    return person_id


def build(state: ArchiveState) -> Catalogue:
    make_house(state, "PUB-001", name_zh="公开楼", location_public=False, lat=SECRET_LAT, lon=SECRET_LON,
               address=SECRET_ADDRESS)
    make_house(state, "PUB-002", name_zh="公开庐", style="lu", township="赤坎镇", village="三门里",
               lat=22.3, lon=112.5)
    make_house(state, "HIDDEN-001", name_zh="未公开楼PLUGH", published=False, county="秘密县", village="秘密村")
    make_house(state, "GONE-001", name_zh="已删楼", county="秘密县", village="秘密村")
    cat = Catalogue(
        record_public=make_record(state, "PUB-001", title="公开口述", body="大家都能看"),
        record_private=make_record(state, "PUB-001", title="私人口述FROBOZZ", public=False),
        record_hidden_only=make_record(state, "HIDDEN-001", title="隐藏楼口述XYZZY", kind="letter"),
        record_shared=_shared_record(state),
        person_public=add_person(state, "关崇昌", [("PUB-001", "builder"), ("HIDDEN-001", "owner")],
                                 names_romanised="Kwan Sung Cheong", destinations=["美国旧金山"]),
        person_private=add_person(state, "私人PERSONA", [("PUB-001", "informant")], public=False,
                                  notes="私人笔记NOTESC"),
        person_hidden_only=add_person(state, "隐藏人物PERSONB", [("HIDDEN-001", "emigrant")]),
        photo_public=add_photo(state, "PUB-001", "公开照片.jpg", public=True, colour=10),
        photo_private=add_photo(state, "PUB-001", "私人照片.jpg", public=False, colour=60),
        photo_hidden_house=add_photo(state, "HIDDEN-001", "隐藏楼照片.jpg", public=True, colour=110),
        photo_gone_house=add_photo(state, "GONE-001", "已删楼照片.jpg", public=True, colour=160),
    )
    with state.transaction() as db:
        delete_house(db, SYSTEM, get_house(db, "GONE-001"))
    return cat


def _shared_record(state: ArchiveState) -> int:
    """A public record of PUB-002 and of HIDDEN-001: listed, naming PUB-002 only."""
    from archive.services.records import create_record

    with state.transaction() as db:
        record_id: int = create_record(db, SYSTEM, [get_house(db, "PUB-002"), get_house(db, "HIDDEN-001")], {
            "kind": "document", "title": "两楼合约", "body": "合约一份", "public": True}).id
    return record_id
