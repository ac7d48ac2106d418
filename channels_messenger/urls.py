from django.urls import path

from channels_messenger import views

app_name = "messenger"

urlpatterns = [
    path("", views.webhook, name="webhook"),
]
