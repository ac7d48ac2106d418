"""The REST API v1 root (CONTRACT.md §4): the API instance, key authentication, the error answers,
and the routers of the apps it mounts.

Every error a client can cause is answered as `{"errors": [{"field", "message"}]}` with a 4xx
status. The routes live in their apps: bookings in core/api.py, trip events in notifications/api.py,
documents in documents/api.py, the dashboard's figures in insights/api.py.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from core import services
from core.api import ApiError
from core.api import router as bookings_router
from core.models import ApiKey
from core.schemas import error_message, error_path
from documents.api import router as documents_router
from insights.api import router as insights_router
from notifications.api import router as trip_events_router
from privacy.api import router as people_router

AUTH_HINT = "send a valid API key as `Authorization: Bearer <key>`"


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return services.api_key_authenticate(key=token.strip())


_JSON_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
}


class JsonObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        try:
            data = json.loads(request.body)
        except RecursionError:
            raise ValueError("the body must be a JSON object; it nests too deeply") from None
        except ValueError as exc:
            raise ValueError(
                f"the body must be a JSON object; it is not valid JSON ({exc})"
            ) from exc
        if not isinstance(data, dict):
            raise ValueError(
                f"the body must be a JSON object, not {_JSON_KINDS.get(type(data), 'null')}"
            )
        return data


api = NinjaAPI(
    title="Thuisfront API",
    version="1",
    description="Bookings, trip events and travel documents from a travel company's systems; "
    "erasing and exporting a person. "
    'Errors are `{"errors": [{"field", "message"}]}`; every problem in a request is named.',
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=ApiKeyAuth(),
    parser=JsonObjectParser(),
)


def error_response(request: HttpRequest, status: int, errors: list[dict]) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=status)


def _field_path(loc: tuple) -> str | None:
    """("body", "body", "passengers", 0, "id") → "passengers[0].id"; ("header", "X") → "X"."""
    source, *rest = loc or ("body",)
    if source == "body":
        rest = rest[1:]  # the view's parameter name, not part of the document
    return error_path(rest) or ("body" if source == "body" else None)


def _validation_errors(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_path(tuple(e.get("loc", ()))), "message": error_message(e)}
        for e in exc.errors
    ]
    return error_response(request, 400, errors)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if isinstance(exc.__cause__, ValueError):  # the body did not parse: say where and why
        message = str(exc.__cause__)
    return error_response(request, exc.status_code, [{"field": None, "message": message}])


def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(request, 401, [{"field": "Authorization", "message": AUTH_HINT}])
    response["WWW-Authenticate"] = 'Bearer realm="thuisfront"'
    return response


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, [{"field": exc.field, "message": exc.message}])


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(
        request, 413, [{"field": None, "message": f"the body is larger than {limit} bytes"}]
    )


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, [{"field": None, "message": "not found"}])


api.add_exception_handler(ValidationError, _validation_errors)
api.add_exception_handler(AuthenticationError, _authentication_error)
api.add_exception_handler(HttpError, _http_error)
api.add_exception_handler(ApiError, _api_error)
api.add_exception_handler(Http404, _not_found)
api.add_exception_handler(RequestDataTooBig, _too_big)

api.add_router("", bookings_router)
api.add_router("", trip_events_router)
api.add_router("", people_router)
api.add_router("", documents_router)
api.add_router("", insights_router)
