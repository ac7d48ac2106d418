"""Helpers for the REST API tests: a real key, and requests as a travel company sends them."""

import copy
import json

from django.test import Client

from tests import clock


def booking_body() -> dict:
    """The example of CONTRACT.md §4, as a fresh copy a test may change."""
    return copy.deepcopy(
        {
            "passengers": [
                {
                    "id": "P1",
                    "given_name": "Anna",
                    "family_name": "de Vries",
                    "language": "nl",
                    "formality": "formal",
                    "contacts": [
                        {"channel": "whatsapp", "address": "+31612345678", "opt_in": True}
                    ],
                },
            ],
            "segments": [
                clock.flight_segment(["P1"]),
            ],
        }
    )


def bulk_document(reference: str, phone: str = "+31612345678", **passenger) -> dict:
    """One document of a bulk request: booking_body() with its reference (and another phone)."""
    body = booking_body()
    body["passengers"][0]["contacts"][0]["address"] = phone
    body["passengers"][0].update(passenger)
    return {"reference": reference, **body}


class Api:
    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def _send(self, method: str, path: str, body=None, raw: bytes | str | None = None, **headers):
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return getattr(self.client, method)(
            f"/api/v1{path}",
            data=data,
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def get(self, path: str, **headers):
        return self.client.get(f"/api/v1{path}", headers={**self.headers, **headers})

    def put(self, path: str, body=None, raw=None, **headers):
        return self._send("put", path, body, raw, **headers)

    def post(self, path: str, body=None, raw=None, **headers):
        return self._send("post", path, body, raw, **headers)

    def put_booking(self, reference: str = "ABC123", body: dict | None = None):
        return self.put(f"/bookings/{reference}", body if body is not None else booking_body())

    def bulk(self, documents=None, raw=None, ndjson: bool = False, **headers):
        """POST /bookings/bulk: the documents as a JSON array, or as NDJSON (one a line)."""
        if raw is None:
            raw = "\n".join(map(json.dumps, documents)) if ndjson else json.dumps(documents)
        return self.client.post(
            "/api/v1/bookings/bulk",
            data=raw,
            content_type="application/x-ndjson" if ndjson else "application/json",
            headers={**self.headers, **headers},
        )

    def post_event(self, body: dict, key: str = "evt-1", trip: str = clock.TRIP):
        return self.post(f"/trips/{trip}/events", body, **{"Idempotency-Key": key})


def fields(response) -> set:
    """The fields a 4xx answer names; fails on anything but the documented error body."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["errors"] and all(
        set(e) == {"field", "message"} and e["message"] for e in body["errors"]
    )
    return {e["field"] for e in body["errors"]}
