"""The JSON API, version 1 (DESIGN §5, API): one router per app, from the
app's ``api.py``, mounted here at ``/api/v1/``.

Every operation needs a caller (a token or the session) except the public
channel's, its POSTs may carry an ``Idempotency-Key``, its reads answer with
an ``ETag`` (``If-None-Match`` → 304), and every refusal is JSON
(``lvzhi.api.errors``).
The docs page is Swagger UI from django-ninja's vendored files (no CDN)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.parser import Parser
from ninja.types import DictStrAny

from lvzhi.accounts.api import router as accounts_router
from lvzhi.api import errors, etag, idempotency, me
from lvzhi.api.auth import SessionAuth, TokenAuth
from lvzhi.consultations.api import router as consultations_router
from lvzhi.core.input import clean_value
from lvzhi.duties.api import router as duties_router
from lvzhi.opinions.api import router as opinions_router
from lvzhi.points.api import router as points_router
from lvzhi.proposals.api import router as proposals_router
from lvzhi.public.api import router as public_router
from lvzhi.reports.api import router as reports_router

# What each operation may answer besides its own schema (all as ``Error``).
ERROR_RESPONSES = {
    "401": "Not signed in, or the access token is unknown, expired or revoked.",
    "403": "Not allowed (permission, token scope or CSRF).",
    "404": "No such object in the caller's committee.",
    "409": "Conflict: the state moved on, or an Idempotency-Key was reused.",
    "422": "Invalid input; ``errors`` names each field.",
    "429": "Too many requests; retry after ``Retry-After`` seconds.",
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of an earlier answer: 304 when unchanged.",
}
ERROR_SCHEMA = {
    "type": "object",
    "title": "Error",
    "required": ["code", "message", "errors"],
    "properties": {
        "code": {"type": "string", "description": "Stable; clients branch on it."},
        "message": {"type": "string", "description": "Chinese, safe to show."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


class CleaningParser(Parser):
    """JSON bodies without control characters or direction overrides, like
    every form (lvzhi/core/input.py); query strings are cleaned by the
    middleware already."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        return cast(DictStrAny, clean_value(super().parse_body(request)))


class LvzhiAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method == "get":
                    operation["responses"].setdefault(
                        "304", {"description": "Unchanged since the ETag sent in If-None-Match."}
                    )
                    operation.setdefault("parameters", []).append(IF_NONE_MATCH)
                for status, description in ERROR_RESPONSES.items():
                    operation["responses"].setdefault(
                        status, {"description": description, "content": ref}
                    )
        return schema


api = LvzhiAPI(
    title="履职通接口",
    version="1",
    urls_namespace="api_v1",
    auth=[TokenAuth(), SessionAuth()],
    parser=CleaningParser(),
    # validatorUrl None: Swagger UI would otherwise fetch a badge from swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)
api.add_decorator(idempotency.store, mode="view")
api.add_decorator(etag.conditional, mode="view")
api.add_decorator(idempotency.replay, mode="operation")

api.add_router("/", me.router)
api.add_router("/", accounts_router)
api.add_router("/duties", duties_router)
api.add_router("/proposals", proposals_router)
api.add_router("/opinions", opinions_router)
api.add_router("/consultations", consultations_router)
api.add_router("/points", points_router)
api.add_router("/public", public_router)
api.add_router("/reports", reports_router)
