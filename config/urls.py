from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api
from core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", api.urls),
    path("webhooks/whatsapp/", include("channels_whatsapp.urls")),
    path("webhooks/messenger/", include("channels_messenger.urls")),
    path("inbox/reasons/", include("contact_reasons.urls")),
    path("inbox/", include("webcare_inbox.urls")),
    path("documents/", include("documents.urls")),
    path("insights/", include("insights.urls")),
]
if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))
