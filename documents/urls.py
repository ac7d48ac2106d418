from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<str:token>/<str:filename>", views.document_file, name="file"),
]
