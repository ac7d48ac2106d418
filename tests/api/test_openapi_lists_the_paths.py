from django.test import Client


def test_openapi_document_describes_the_api_without_a_key():
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    doc = response.json()
    paths = doc["paths"]
    assert set(paths) >= {
        "/api/v1/bookings/{reference}",
        "/api/v1/trips/{service}/{date}/events",
        "/api/v1/events/{id}",
        "/api/v1/people/erase",
        "/api/v1/people/export",
        "/api/v1/bookings/{reference}/documents",
        "/api/v1/documents/{id}",
    }
    assert set(paths["/api/v1/bookings/{reference}"]) == {"put", "get"}
    assert set(paths["/api/v1/people/erase"]) == set(paths["/api/v1/people/export"]) == {"post"}
    contact = doc["components"]["schemas"]["ContactIn"]["properties"]
    assert "opt_in_at" in contact
    assert doc["components"]["securitySchemes"] == {
        "ApiKeyAuth": {"type": "http", "scheme": "bearer"}
    }
    for methods in paths.values():
        for operation in methods.values():
            assert operation["security"] == [{"ApiKeyAuth": []}]
            assert {"401"} <= set(operation["responses"])
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }


def test_openapi_document_states_each_event_type_and_its_required_fields():
    doc = Client().get("/api/v1/openapi.json").json()
    post = doc["paths"]["/api/v1/trips/{service}/{date}/events"]["post"]
    schemas = doc["components"]["schemas"]

    body = post["requestBody"]["content"]["application/json"]["schema"]
    mapping = body["discriminator"]["mapping"]
    assert set(mapping) == {
        "check_in_open",
        "gate_changed",
        "boarding",
        "delayed",
        "departed",
        "arrived",
        "cancelled",
        "diverted",
        "schedule_changed",
    }
    required = {
        t: set(schemas[ref.rsplit("/", 1)[1]]["required"]) - {"type"} for t, ref in mapping.items()
    }
    assert required == {
        "check_in_open": set(),
        "gate_changed": {"gate"},
        "boarding": set(),
        "delayed": {"estimated_departure"},
        "departed": {"actual_departure"},
        "arrived": {"actual_arrival"},
        "cancelled": set(),
        "diverted": {"destination"},
        "schedule_changed": {"scheduled_departure"},
    }
    assert {"202", "400", "404", "409"} <= set(post["responses"])
    assert [p["name"] for p in post["parameters"] if p["in"] == "header"] == ["Idempotency-Key"]
    put = doc["paths"]["/api/v1/bookings/{reference}"]["put"]
    assert {"200", "201", "400"} <= set(put["responses"])
    assert set(schemas["BookingIn"]["required"]) == {"passengers"}


def test_openapi_document_states_the_documents_api():
    doc = Client().get("/api/v1/openapi.json").json()
    post = doc["paths"]["/api/v1/bookings/{reference}/documents"]["post"]
    schemas = doc["components"]["schemas"]
    assert {"202", "400", "404", "409"} <= set(post["responses"])
    assert set(schemas["DocumentIn"]["required"]) == {"passenger", "trip", "kind", "barcode"}
    assert set(schemas["DocumentIn"]["properties"]["kind"]["enum"]) == {"boarding_pass", "ticket"}
    get = doc["paths"]["/api/v1/documents/{id}"]["get"]
    assert {"200", "404"} <= set(get["responses"])
    assert "deliveries" in schemas["DocumentOut"]["properties"]
