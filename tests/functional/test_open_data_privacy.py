"""The open-data doors (OAI-PMH, CSV, GeoJSON, sitemap, JSON-LD) leak nothing the public may not see."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.functional.test_privacy import PLANTED, planted  # noqa: F401  (the fixture is used by name)

OPEN_DATA_URLS = (
    "/oai?verb=ListRecords&metadataPrefix=oai_dc", "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
    "/oai?verb=ListSets", "/oai?verb=Identify",
    "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:house/PUB-001",
    "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:house/HIDDEN-001",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=county:mimixian",
    "/data/houses.csv", "/data/records.csv", "/data/houses.geojson", "/data/houses.csv?county=秘密县",
    "/data/houses.geojson?q=未公开楼PLUGH", "/data/houses.csv?q=FROBOZZ", "/sitemap.xml", "/houses/PUB-001",
)


@pytest.mark.usefixtures("planted")
@pytest.mark.parametrize("url", OPEN_DATA_URLS)
def test_no_private_value_in_open_data(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    # OAI echoes the request's own arguments (an identifier asked for): that is not a leak.
    body = re.sub(r"<request[^>]*>.*?</request>|<error[^>]*>.*?</error>", "", response.get_data(as_text=True))
    assert response.status_code in (200, 404), url
    for value in PLANTED:
        assert value not in body, f"{value!r} leaked through {url} ({response.status_code})"


@pytest.mark.usefixtures("planted")
def test_public_house_is_there(client: FlaskClient) -> None:
    """The doors are not empty: the published house is in each (so the test above means something)."""
    for url in ("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc", "/data/houses.csv", "/sitemap.xml"):
        assert "PUB-001" in client.get(url).get_data(as_text=True), url
    assert "公开口述" in client.get("/data/records.csv").get_data(as_text=True)
    # An unpublished house answers exactly as one that never existed.
    hidden = client.get("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:house/HIDDEN-001")
    assert 'code="idDoesNotExist"' in hidden.get_data(as_text=True)
