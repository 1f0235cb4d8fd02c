"""Bad input on every endpoint with a JSON body, read from the OpenAPI
document (so a new endpoint is swept too): an unknown field, a body of the
wrong type, every required field missing, every field of the wrong type and
every text one character too long answer 422 ``invalid_input`` naming the
field, with a Chinese message, and write nothing. The endpoints' own tests
cover another committee's ids, replays and their services' validation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvzhi.api.main import api
from lvzhi.api.tests.clients import token_client
from lvzhi.core.models import RateCounter

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _document() -> Any:
    return api.get_openapi_schema()


def _resolve(schema: dict[str, Any], doc: Any) -> dict[str, Any]:
    if "$ref" in schema:
        return dict(doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], doc)
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return _resolve(option, doc)
    return schema


def _json_operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    doc = _document()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                schema = _resolve(content["application/json"]["schema"], doc)
                fields = {
                    name: _resolve(prop, doc) for name, prop in schema.get("properties", {}).items()
                }
                yield method, path, {"required": schema.get("required", []), "fields": fields}


OPERATIONS = list(_json_operations())


def _wrong_value(field: dict[str, Any]) -> Any:
    if "enum" in field:
        return "no-such-choice"
    return {
        "string": {"not": "a text"},
        "integer": "abc",
        "boolean": "perhaps",
        "array": "not a list",
    }[field["type"]]


def _cases(spec: dict[str, Any]) -> Iterator[tuple[str, Any, set[str]]]:
    """(case, body, the fields the error must name)."""
    yield "unknown field", {"unexpected": 1}, {"body.unexpected"}
    yield "a list for a body", [], set()
    if spec["required"]:
        yield "empty", {}, {f"body.{name}" for name in spec["required"]}
    for name, field in spec["fields"].items():
        if field.get("format") == "uuid":
            yield f"{name} not a uuid", {name: "not-a-uuid"}, {f"body.{name}"}
        elif field.get("format") in ("date", "date-time"):
            yield f"{name} not a date", {name: "2027-02-30"}, {f"body.{name}"}
        else:
            yield f"{name} of the wrong type", {name: _wrong_value(field)}, {f"body.{name}"}
        if field.get("maxLength"):
            too_long = "议" * (field["maxLength"] + 1)
            yield f"{name} too long", {name: too_long}, {f"body.{name}"}
        if field.get("type") == "array" and field.get("maxItems"):
            too_many = list(range(field["maxItems"] + 1))
            yield f"{name} too many", {name: too_many}, {f"body.{name}"}


CASES = [
    pytest.param(method, path, case, body, named, id=f"{method} {path}: {case}")
    for method, path, spec in OPERATIONS
    for case, body, named in _cases(spec)
]


def test_the_sweep_covers_every_json_body() -> None:
    assert len(OPERATIONS) >= 20, [f"{m} {p}" for m, p, _ in OPERATIONS]


@pytest.fixture
def caller(committee: Any, seat_user: Any, settings: Any) -> Client:
    settings.API_REQUESTS_PER_MINUTE = 100_000
    client = token_client(seat_user, committee)
    client.get("/api/v1/me")  # the token's first use notes it; nothing more is written
    return client


@pytest.mark.parametrize(("method", "path", "case", "body", "named"), CASES)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    caller: Client, method: str, path: str, case: str, body: Any, named: set[str]
) -> None:
    url = re.sub(r"\{(\w+)\}", lambda m: "abc" if m[1] == "code" else "1", path)
    send = getattr(caller, method)
    with CaptureQueriesContext(connection) as queries:
        answer = send(url, json.dumps(body), content_type="application/json")
    assert answer.status_code == 422, (case, answer.content[:300])
    refusal = answer.json()
    assert refusal["code"] == "invalid_input" and refusal["message"] == "输入内容不正确。"
    fields = {error["field"] for error in refusal["errors"]}
    assert named <= fields, (case, refusal["errors"])
    assert all(error["message"] for error in refusal["errors"])
    # (A write's rate-limit counter is the one row it may touch: lvzhi/api/ratelimit.py.)
    counters = RateCounter._meta.db_table
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].split()[0].upper() in WRITES and counters not in q["sql"]
    ]
    assert writes == [], writes
