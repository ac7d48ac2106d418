import hmac

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


def _may_see_details(request) -> bool:
    """Staff signed in, or a monitor presenting settings.HEALTHZ_TOKEN as a Bearer token."""
    if getattr(request, "user", None) is not None and request.user.is_staff:
        return True
    token = settings.HEALTHZ_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


@never_cache
def healthz(request):
    """200 when the database (and Redis, in services mode) answer, 503 otherwise.

    The public reads only up or down; staff and monitors with the token read what failed (the
    mode and each check), which tells an attacker more than they should know.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure of the database is the answer, not a crash
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        import redis

        try:
            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            )
            client.ping()
            client.close()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    answer = {"status": "ok" if healthy else "unavailable"}
    if _may_see_details(request):
        answer.update(mode="embedded" if settings.EMBEDDED else "services", checks=checks)
    return JsonResponse(answer, status=200 if healthy else 503)


def home(request):
    return render(request, "core/home.html", {"sandbox": settings.SANDBOX_ENABLED})
