"""The OpenAPI 3.1 document at /api/openapi.json: valid (openapi-spec-validator), and true of the
real answers: every endpoint's answers, anonymous and staff, success and error, are validated by
openapi-core, and schemathesis probes the read endpoints with generated parameters."""

from __future__ import annotations

import io
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.testing import MockRequest
from openapi_spec_validator import validate
from PIL import Image
from schemathesis.specs.openapi.checks import positive_data_acceptance

from archive.services.users import create_token
from archive.state import ArchiveState
from tests.conftest import add_user
from tests.functional.api_catalogue import Catalogue, build


@pytest.fixture
def cat(state: ArchiveState) -> Catalogue:
    return build(state)


def token_for(state: ArchiveState, name: str, role: str) -> dict[str, str]:
    add_user(state, name, role)
    with state.transaction() as db:
        token = create_token(db, name)
    return {"Authorization": f"Bearer {token}"}


def spec(client: FlaskClient) -> OpenAPI:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document: dict[str, Any] = response.get_json()
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert document["openapi"] == "3.1.0"
    return OpenAPI.from_dict(document)


def test_document_is_valid_openapi_31_and_names_every_api_route(app: Flask, client: FlaskClient) -> None:
    spec(client)
    document = client.get("/api/openapi.json").get_json()
    routes = {rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert routes == set(document["paths"])


def checked(openapi: OpenAPI, response: Any) -> Any:
    """The answer, after openapi-core found it true to the document (status, content type, body)."""
    request = response.request
    if request.method == "GET":
        asked: Any = WerkzeugOpenAPIRequest(request)
    else:  # the upload's body was read by the app: describe the call without it
        asked = MockRequest(request.host_url, request.method.lower(), request.path)
    openapi.validate_response(asked, WerkzeugOpenAPIResponse(response))
    return response.get_json()


READS = (
    "/api/houses", "/api/houses?per_page=1", "/api/houses?after=", "/api/houses?after=PUB-001&per_page=1",
    "/api/houses/PUB-001", "/api/houses/PUB-002", "/api/records", "/api/records?per_page=1",
    "/api/records/{record_public}", "/api/records/{record_shared}", "/api/people", "/api/people/{person_public}",
    "/api/photos", "/api/photos/{photo_public}", "/api/places", "/api/places?level=township",
    "/api/places?level=village&per_page=1", "/api/vocabularies", "/api/vocabularies/condition",
    "/api/search?q=公开", "/api/search?q=碉楼&county=开平市",
)
# (url, status for the public, status for staff): what is private is an error for the public only.
ERRORS = (
    ("/api/houses?page=9", 400, 400), ("/api/houses?after=A&page=1", 400, 400), ("/api/records?after=x", 400, 400),
    ("/api/records?kind=nope", 400, 400), ("/api/photos?house=HIDDEN-001", 400, 200),
    ("/api/places?after=@@", 400, 400), ("/api/houses/HIDDEN-001", 404, 200), ("/api/houses/GONE-001", 404, 404),
    ("/api/records/{record_private}", 404, 200), ("/api/people/{person_private}", 404, 200),
    ("/api/photos/{photo_private}", 404, 200), ("/api/vocabularies/nope", 404, 404),
)


def test_every_read_answers_as_documented(state: ArchiveState, client: FlaskClient, cat: Catalogue) -> None:
    openapi = spec(client)
    staff = token_for(state, "r-spec", "researcher")
    for headers in ({}, staff):
        for url in READS:
            response = client.get(url.format(**vars(cat)), headers=headers)
            assert response.status_code == 200, (url, response.get_data(as_text=True))
            checked(openapi, response)
        for url, public_status, staff_status in ERRORS:
            response = client.get(url.format(**vars(cat)), headers=headers)
            status = staff_status if headers else public_status
            assert response.status_code == status, (url, response.get_data(as_text=True))
            checked(openapi, response)
    # Staff-only fields (private photo's file facts, original URL, record flags) are documented too.
    private_photo = checked(openapi, client.get(f"/api/photos/{cat.photo_private}", headers=staff))
    assert private_photo["public"] is False and "original" in private_photo["urls"]
    bad_token = client.get("/api/records", headers={"Authorization": "Bearer nope"})
    assert bad_token.status_code == 401 and checked(openapi, bad_token)["error"]["code"] == "invalid_token"


def test_upload_answers_as_documented(state: ArchiveState, client: FlaskClient, cat: Catalogue) -> None:
    openapi = spec(client)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(buffer, "JPEG")
    editor = token_for(state, "e-spec", "editor")
    upload = client.post("/api/houses/PUB-002/photos", headers=editor,
                         data={"file": (io.BytesIO(buffer.getvalue()), "门.jpg"), "public": "1"})
    assert upload.status_code == 201
    assert checked(openapi, upload)["photo"]["house"] == "PUB-002"
    again = client.post("/api/houses/PUB-002/photos", headers=editor,
                        data={"file": (io.BytesIO(buffer.getvalue()), "门.jpg")})
    assert again.status_code == 409 and checked(openapi, again)["error"]["code"] == "duplicate_photo"
    anonymous = client.post("/api/houses/PUB-002/photos", data={"file": (io.BytesIO(b"x"), "a.jpg")})
    assert anonymous.status_code == 401 and checked(openapi, anonymous)["error"]["code"] == "token_required"


def test_generated_calls_get_documented_answers(app: Flask, cat: Catalogue) -> None:
    """schemathesis generates parameters (valid ones and not) for every read endpoint: no answer is a
    500, and every answer (status, content type, body) is one the document describes."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app).include(method="GET")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13  # every GET path of the document
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: Any) -> None:
            # Schema-valid calls may still be refused by design (a page past the end, `page` with
            # `after`, a house or kind that does not exist): a 400 there is right, not a failure.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        call()
