from django.urls import path

from sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("phone/", views.phone_index, name="phone"),
    path("phone/<int:pk>/", views.phone_person, name="phone_person"),
    path("phone/<int:pk>/chat/", views.phone_chat, name="phone_chat"),
    path("phone/<int:pk>/send/", views.phone_send, name="phone_send"),
    path("phone/<int:pk>/link/", views.phone_link_open, name="phone_link_open"),
    path(
        "phone/<int:pk>/files/<int:file_id>/<str:part>/",
        views.phone_file,
        name="phone_file",
    ),
    path(
        "phone/own-opt-in/<int:passenger_id>/<str:channel>/",
        views.phone_own_opt_in,
        name="phone_own_opt_in",
    ),
    path("operator/", views.operator, name="operator"),
    path(
        "operator/trips/<int:trip_id>/activity/", views.operator_activity, name="operator_activity"
    ),
    path(
        "operator/trips/<int:trip_id>/events/<str:type>/",
        views.operator_event,
        name="operator_event",
    ),
]
