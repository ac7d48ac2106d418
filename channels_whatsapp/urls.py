from django.urls import path

from channels_whatsapp import views

app_name = "whatsapp"
urlpatterns = [
    path("twilio/", views.inbound, name="twilio-inbound"),
    path("twilio/status/", views.status, name="twilio-status"),
]
