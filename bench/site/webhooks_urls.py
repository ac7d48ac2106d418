"""The product's URLs and a bare async view, at two places: under /webhooks/ (the way the
webhooks take, config/middleware.py: WebhookFastPath) and under /bench/ (the whole middleware
stack a page takes)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
async def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=204)


urlpatterns = [
    path("webhooks/bench-bare/", bare),
    path("bench/bare/", bare),
    path("", include("config.urls")),
]
