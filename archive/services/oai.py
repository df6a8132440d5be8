"""OAI-PMH 2.0 repository: the six verbs over `oai_item`, with the protocol's own error codes.

Items are houses only (one per identifier `oai:<repository>:house/<code>`); public information
items appear in a house's record as `dc:relation` links to their pages, not as records of their
own. Resumption tokens are stateless: the arguments, the last item id sent, the cursor and the
list size, signed with the app's secret, valid for a day. Paging is by item id, so edits made
during a harvest never make it skip or repeat an item.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from lxml import etree
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from archive import access
from archive.models import House, OaiItem
from archive.services import oai_xml as xml
from archive.services.oai_sets import PREFIX as COUNTY_PREFIX
from archive.services.oai_sets import english_name
from archive.services.oai_state import house_statements, load_houses, now_stamp, vocab_labels

TOKEN_LIFETIME = timedelta(days=1)
VERB_ARGUMENTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {  # verb -> (required, optional)
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True, slots=True)
class Repository:
    """Who answers: the identifier's repository part, the site's root URL, names and settings."""

    identifier: str
    base_url: str  # the /oai endpoint
    site: str  # root URL, no trailing slash, for house and record links
    name: str
    admin_email: str
    page_size: int
    secret: bytes


def respond(db: Session, repo: Repository, args: Mapping[str, Sequence[str]]) -> bytes:
    """The response document for one request; protocol errors are answered inside it."""
    single = {name: values[0] for name, values in args.items() if values}
    verb = single.get("verb")
    valid = verb in VERB_ARGUMENTS and not any(len(v) > 1 for v in args.values())
    root = xml.envelope(now_stamp(), repo.base_url, single if valid else {})
    try:
        if verb not in VERB_ARGUMENTS or len(args.get("verb", [])) > 1:
            raise OaiError("badVerb", "Missing, repeated or unknown verb." if verb else "No verb given.")
        _check_arguments(verb, args)
        body = xml.sub(root, verb)
        VERBS[verb](db, repo, single, body)
    except OaiError as exc:
        for child in root[2:]:
            root.remove(child)
        if exc.code in ("badVerb", "badArgument"):
            root[1].attrib.clear()  # the protocol: no request attributes echoed for these two
        xml.error(root, exc.code, exc.message)
    return xml.serialise(root)


def _check_arguments(verb: str, args: Mapping[str, Sequence[str]]) -> None:
    required, optional = VERB_ARGUMENTS[verb]
    given = set(args) - {"verb"}
    repeated = sorted(name for name, values in args.items() if len(values) > 1)
    if repeated:
        raise OaiError("badArgument", f"Repeated argument: {', '.join(repeated)}.")
    empty = sorted(name for name in given if not args[name] or not args[name][0])
    if empty:
        raise OaiError("badArgument", f"Empty argument: {', '.join(empty)}.")
    if "resumptionToken" in given and verb in ("ListIdentifiers", "ListRecords", "ListSets"):
        if given != {"resumptionToken"}:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        return
    unknown = sorted(given - required - optional)
    if unknown:
        raise OaiError("badArgument", f"Illegal argument for {verb}: {', '.join(unknown)}.")
    missing = sorted(required - given)
    if missing:
        raise OaiError("badArgument", f"Missing argument for {verb}: {', '.join(missing)}.")


def parse_date(text: str, *, end: bool) -> tuple[datetime, str]:
    """A from/until value as a UTC datetime and its granularity; a day `until` covers the whole day."""
    if _SECOND.fullmatch(text):
        fmt, granularity = "%Y-%m-%dT%H:%M:%SZ", "second"
    elif _DAY.fullmatch(text):
        fmt, granularity = "%Y-%m-%d", "day"
    else:
        raise OaiError("badArgument", f"Not a date of this repository's granularity: {text!r}.")
    try:
        value = datetime.strptime(text, fmt).replace(tzinfo=UTC)
    except ValueError:
        raise OaiError("badArgument", f"Not a valid date: {text!r}.") from None
    if granularity == "day" and end:
        value += timedelta(days=1, seconds=-1)
    return value, granularity


def _repository_item(db: Session, repo: Repository, ident: str) -> OaiItem:
    prefix = f"oai:{repo.identifier}:house/"
    item = db.scalar(select(OaiItem).where(OaiItem.code == unquote(ident[len(prefix):]))) \
        if ident.startswith(prefix) else None
    if item is None:
        raise OaiError("idDoesNotExist", f"No item with the identifier {ident!r} in this repository.")
    return item


def _check_prefix(prefix: str) -> None:
    if prefix != "oai_dc":
        raise OaiError("cannotDisseminateFormat", f"Metadata format {prefix!r} is not available; use oai_dc.")


def identify(db: Session, repo: Repository, _args: dict[str, str], body: etree._Element) -> None:
    earliest = db.scalar(select(func.min(OaiItem.datestamp)))
    xml.sub(body, "repositoryName", repo.name)
    xml.sub(body, "baseURL", repo.base_url)
    xml.sub(body, "protocolVersion", "2.0")
    xml.sub(body, "adminEmail", repo.admin_email)
    xml.sub(body, "earliestDatestamp", xml.stamp(_aware(earliest) if earliest else now_stamp()))
    xml.sub(body, "deletedRecord", "persistent")
    xml.sub(body, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    if re.fullmatch(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+", repo.identifier):
        sample = db.scalar(select(func.min(OaiItem.code))) or "KP-TK-ZL-001"
        xml.identify_description(body, repo.identifier, sample)


def list_metadata_formats(db: Session, repo: Repository, args: dict[str, str], body: etree._Element) -> None:
    if "identifier" in args:
        _repository_item(db, repo, args["identifier"])  # every item is available as oai_dc
    xml.metadata_format(body)


def list_sets(db: Session, _repo: Repository, args: dict[str, str], body: etree._Element) -> None:
    if "resumptionToken" in args:
        raise OaiError("badResumptionToken", "ListSets answers in one response; there is no token to resume.")
    sets = db.execute(select(OaiItem.set_spec, func.min(OaiItem.set_name))
                      .where(OaiItem.set_spec.is_not(None)).group_by(OaiItem.set_spec).order_by(OaiItem.set_spec))
    rows = [(str(spec), str(name)) for spec, name in sets]
    if rows:
        xml.set_element(body, COUNTY_PREFIX[:-1], "区县 Counties", [("区县", "zh"), ("Counties", "en")])
    for spec, name in rows:
        english = english_name(name)
        xml.set_element(body, spec, f"{name} {english}", [(name, "zh"), (english, "en")])


def get_record(db: Session, repo: Repository, args: dict[str, str], body: etree._Element) -> None:
    item = _repository_item(db, repo, args["identifier"])
    _check_prefix(args["metadataPrefix"])
    _write_records(db, repo, [item], body, with_metadata=True)


@dataclass(frozen=True, slots=True)
class Selection:
    """What a list request asks for; carried in resumption tokens."""

    verb: str
    prefix: str
    start: str | None
    end: str | None
    set_spec: str | None

    def where(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.start:
            conditions.append(OaiItem.datestamp >= parse_date(self.start, end=False)[0])
        if self.end:
            conditions.append(OaiItem.datestamp <= parse_date(self.end, end=True)[0])
        if self.set_spec == COUNTY_PREFIX[:-1]:
            conditions.append(OaiItem.set_spec.is_not(None))
        elif self.set_spec:
            conditions.append(OaiItem.set_spec == self.set_spec)
        return conditions


def list_items(db: Session, repo: Repository, args: dict[str, str], body: etree._Element) -> None:
    """ListIdentifiers and ListRecords: a page of items, and a token when more remain."""
    verb = body.tag.split("}")[1]
    if "resumptionToken" in args:
        selection, after, cursor, size = _read_token(repo, args["resumptionToken"], verb)
    else:
        selection = _selection(db, verb, args)
        after, cursor = 0, 0
        size = db.scalar(select(func.count()).select_from(OaiItem).where(*selection.where())) or 0
        if not size:
            raise OaiError("noRecordsMatch", "No items match these arguments.")
    stmt = select(OaiItem).where(*selection.where(), OaiItem.id > after).order_by(OaiItem.id)
    items = list(db.scalars(stmt.limit(repo.page_size + 1)))
    more, items = len(items) > repo.page_size, items[: repo.page_size]
    _write_records(db, repo, items, body, with_metadata=verb == "ListRecords")
    if more:
        token = _make_token(repo, selection, items[-1].id, cursor + len(items), size)
        xml.resumption_token(body, token, size, cursor, now_stamp() + TOKEN_LIFETIME)
    elif cursor:
        xml.resumption_token(body, "", size, cursor, None)  # the last page of a resumed list


def _selection(db: Session, verb: str, args: dict[str, str]) -> Selection:
    _check_prefix(args["metadataPrefix"])
    start, end = args.get("from"), args.get("until")
    parsed = [parse_date(v, end=k == "until") for k, v in (("from", start), ("until", end)) if v]
    if len(parsed) == 2:
        if parsed[0][1] != parsed[1][1]:
            raise OaiError("badArgument", "from and until must have the same granularity.")
        if parsed[0][0] > parsed[1][0]:
            raise OaiError("badArgument", "from is later than until.")
    set_spec = args.get("set")
    if set_spec and set_spec != COUNTY_PREFIX[:-1] and db.scalar(
            select(OaiItem.id).where(OaiItem.set_spec == set_spec).limit(1)) is None:
        raise OaiError("noRecordsMatch", f"No items in the set {set_spec!r}.")
    return Selection(verb, args["metadataPrefix"], start, end, set_spec)


def _write_records(db: Session, repo: Repository, items: list[OaiItem], body: etree._Element, *,
                   with_metadata: bool) -> None:
    live = [item.house_id for item in items if not item.deleted and item.house_id is not None]
    # Headers only need the house row (is it public?); records need what the statements read.
    found = (load_houses(db, live) if with_metadata else db.scalars(select(House).where(House.id.in_(live)))) \
        if live else []
    houses = {house.id: house for house in found}
    vocab = vocab_labels(db) if with_metadata else {}
    for item in items:
        house = houses.get(item.house_id or 0)
        # Shown only if the house is public now, whatever the row says: never a private house.
        visible = house is not None and house.code == item.code and access.house_visible(access.PUBLIC, house)
        if with_metadata:
            statements = house_statements(house, vocab) if visible and house is not None else None
            xml.record(body, repo.identifier, item, statements, repo.site)
        else:
            xml.header(body, repo.identifier, item, not visible)


def _make_token(repo: Repository, selection: Selection, after: int, cursor: int, size: int) -> str:
    payload = {"v": selection.verb, "p": selection.prefix, "f": selection.start, "u": selection.end,
               "s": selection.set_spec, "a": after, "c": cursor, "n": size,
               "e": int((now_stamp() + TOKEN_LIFETIME).timestamp())}
    data = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{data}.{_signature(repo, data)}"


def _signature(repo: Repository, data: str) -> str:
    return hmac.new(repo.secret, data.encode(), hashlib.sha256).hexdigest()[:32]


def _read_token(repo: Repository, token: str, verb: str) -> tuple[Selection, int, int, int]:
    bad = OaiError("badResumptionToken", "The resumption token is invalid or has expired.")
    data, _dot, signature = token.partition(".")
    if not hmac.compare_digest(signature, _signature(repo, data)):
        raise bad
    try:
        payload: dict[str, Any] = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
        selection = Selection(payload["v"], payload["p"], payload["f"], payload["u"], payload["s"])
        after, cursor, size, expires = (int(payload[k]) for k in ("a", "c", "n", "e"))
    except (ValueError, KeyError, TypeError):
        raise bad from None
    if selection.verb != verb or expires < now_stamp().timestamp():
        raise bad
    return selection, after, cursor, size


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


VERBS = {
    "Identify": identify, "ListMetadataFormats": list_metadata_formats, "ListSets": list_sets,
    "GetRecord": get_record, "ListIdentifiers": list_items, "ListRecords": list_items,
}
