"""The OpenAPI document of /api/v1/ holds together (every operation declares
its auth, parameters, request and response schemas; every reference
resolves) and every operation but the public channel's refuses anonymous
callers with 401 JSON. Structural checks: no validator package is pinned."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

AUTH = [{"TokenAuth": []}, {"SessionAuth": []}]
PUBLIC = "/api/v1/public/"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def doc(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if method in METHODS
    ]


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_the_document_is_openapi_3_with_unique_operation_ids(doc) -> None:
    assert doc["openapi"].startswith("3.") and doc["info"]["version"] == "1"
    ids = [op["operationId"] for _p, _m, op in _operations(doc)]
    assert len(ids) == len(set(ids)) and len(ids) > 30
    assert all(path.startswith("/api/v1/") for path in doc["paths"])


def test_every_reference_resolves(doc) -> None:
    schemas = doc["components"]["schemas"]
    for ref in _refs(doc):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in schemas, ref


def test_every_operation_declares_auth_parameters_and_responses(doc) -> None:
    for path, method, op in _operations(doc):
        where = (path, method)
        assert op.get("summary"), where
        assert op.get("security", []) == ([] if path.startswith(PUBLIC) else AUTH), where
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok, where
        for status in ("401", "403", "404", "409", "422", "429"):
            assert op["responses"][status]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, where
        if method == "get":
            assert "304" in op["responses"], where
            assert any(p["name"] == "If-None-Match" for p in op["parameters"]), where
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), where
        for parameter in op.get("parameters", []):
            assert parameter["schema"] and parameter["in"] in {"path", "query", "header"}, where
            if parameter["in"] == "path":
                assert parameter["required"] is True, where


def test_every_json_body_refuses_unknown_fields(doc) -> None:
    schemas = doc["components"]["schemas"]
    for path, method, op in _operations(doc):
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        schema = content["application/json"]["schema"]
        name = schema["$ref"].rsplit("/", 1)[1]
        assert schemas[name].get("additionalProperties") is False, (path, method, name)


def test_every_operation_but_the_public_channels_refuses_anonymous_callers(doc) -> None:
    client = Client()
    checked = 0
    for path, method, _op in _operations(doc):
        if path.startswith(PUBLIC):
            continue
        url = re.sub(r"{\w+}", "1", path)
        if method == "get":
            response = client.get(url)
        else:
            response = getattr(client, method)(url, "{}", content_type="application/json")
        assert response.status_code == 401, (method, url, response.status_code)
        assert json.loads(response.content)["code"] == "unauthenticated"
        checked += 1
    assert checked > 25
