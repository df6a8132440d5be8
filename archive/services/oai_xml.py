"""OAI-PMH 2.0 XML: the envelope, headers, oai_dc records and sets, built with lxml."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import quote

from lxml import etree

from archive.models import OaiItem
from archive.services.oai_state import Statement

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters an oai-identifier may hold unescaped after the repository part (besides '/').
_ID_SAFE = "-_.!~*'();:@&=+$,"


def stamp(value: datetime) -> str:
    """UTC in the protocol's form; SQLite gives naive UTC back, PostgreSQL aware in its own zone."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def identifier(repository: str, code: str) -> str:
    return f"oai:{repository}:house/{quote(code, safe=_ID_SAFE)}"


def envelope(response_date: datetime, base_url: str, request_args: dict[str, str]) -> etree._Element:
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = stamp(response_date)
    request = etree.SubElement(root, f"{{{OAI_NS}}}request", dict(sorted(request_args.items())))
    request.text = base_url
    return root


def sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{OAI_NS}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def error(root: etree._Element, code: str, message: str) -> None:
    sub(root, "error", message, code=code)


def header(parent: etree._Element, repository: str, item: OaiItem, deleted: bool) -> None:
    element = sub(parent, "header", **({"status": "deleted"} if deleted else {}))
    sub(element, "identifier", identifier(repository, item.code))
    sub(element, "datestamp", stamp(item.datestamp))
    if item.set_spec:
        sub(element, "setSpec", item.set_spec.split(":")[0])
        sub(element, "setSpec", item.set_spec)


def dublin_core(parent: etree._Element, statements: Iterable[Statement], site: str) -> None:
    dc = etree.SubElement(parent, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    for statement in statements:
        element = etree.SubElement(dc, f"{{{DC_NS}}}{statement.element}")
        element.text = site + statement.value if statement.value.startswith("/") else statement.value
        if statement.lang:
            element.set(XML_LANG, statement.lang)


def record(parent: etree._Element, repository: str, item: OaiItem, statements: list[Statement] | None,
           site: str) -> None:
    """A record: header, and metadata unless deleted (`statements` None)."""
    element = sub(parent, "record")
    header(element, repository, item, statements is None)
    if statements is not None:
        dublin_core(sub(element, "metadata"), statements, site)


def metadata_format(parent: etree._Element) -> None:
    element = sub(parent, "metadataFormat")
    sub(element, "metadataPrefix", "oai_dc")
    sub(element, "schema", OAI_DC_SCHEMA)
    sub(element, "metadataNamespace", OAI_DC_NS)


def set_element(parent: etree._Element, spec: str, name: str, titles: list[tuple[str, str]]) -> None:
    element = sub(parent, "set")
    sub(element, "setSpec", spec)
    sub(element, "setName", name)
    dublin_core(sub(element, "setDescription"), [Statement("title", t, lang) for t, lang in titles], "")


def identify_description(parent: etree._Element, repository: str, sample_code: str) -> None:
    """The oai-identifier description, which harvesters use to parse our identifiers."""
    description = sub(parent, "description")
    ident = etree.SubElement(description, f"{{{ID_NS}}}oai-identifier", nsmap={None: ID_NS, "xsi": XSI_NS})
    ident.set(f"{{{XSI_NS}}}schemaLocation", f"{ID_NS} {ID_SCHEMA}")
    for name, text in (("scheme", "oai"), ("repositoryIdentifier", repository), ("delimiter", ":"),
                       ("sampleIdentifier", identifier(repository, sample_code))):
        etree.SubElement(ident, f"{{{ID_NS}}}{name}").text = text


def resumption_token(parent: etree._Element, token: str, size: int, cursor: int, expires: datetime | None) -> None:
    attrs = {"completeListSize": str(size), "cursor": str(cursor)}
    if expires is not None:
        attrs["expirationDate"] = stamp(expires)
    sub(parent, "resumptionToken", token, **attrs)


def serialise(root: etree._Element) -> bytes:
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return result
