from django.urls import path

from contact_reasons import views

app_name = "contact_reasons"

urlpatterns = [
    path("c/<int:pk>/", views.conversation_reason, name="set"),
]
