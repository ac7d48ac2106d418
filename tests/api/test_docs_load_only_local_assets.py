"""/api/v1/docs works offline: Swagger UI's script and styles come from this server, not a CDN."""

import re

import pytest


def asset_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)


@pytest.mark.django_db
def test_the_docs_page_references_only_local_assets_that_are_served(client):
    page = client.get("/api/v1/docs")

    assert page.status_code == 200
    html = page.content.decode()
    urls = asset_urls(html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert any(u.endswith("swagger-ui.css") for u in urls)
    for url in urls:
        assert url.startswith("/static/"), f"{url} is not served by Thuisfront"
        assert client.get(url).status_code == 200, url
    assert "cdn" not in html.lower()
    assert '"url": "/api/v1/openapi.json"' in html
