"""The OpenAPI document shows POST /bookings/bulk: both body formats, the document's schema
(the PUT's booking with its reference), the per-document answer, and every $ref resolves."""

from django.test import Client


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_bulk_endpoint_is_documented():
    doc = Client().get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    bulk = doc["paths"]["/api/v1/bookings/bulk"]

    assert set(bulk) == {"post"}  # the booking named "bulk" stays under {reference}
    post = bulk["post"]
    assert post["operationId"] == "bookings_bulk"
    content = post["requestBody"]["content"]
    assert set(content) == {"application/json", "application/x-ndjson"}
    array = content["application/json"]["schema"]
    assert array["type"] == "array" and array["maxItems"] == 1000
    item = array["items"]
    assert set(item["required"]) == {"reference", "passengers"}
    assert item["properties"]["passengers"]["items"] == {"$ref": "#/components/schemas/PassengerIn"}
    assert item["additionalProperties"] is False
    assert {"200", "400", "401", "413", "415"} <= set(post["responses"])
    answer = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/BulkOut"}
    result = schemas["BulkResultOut"]["properties"]
    assert set(result) == {"index", "line", "reference", "status", "booking", "errors"}
    for ref in _refs(doc):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref
