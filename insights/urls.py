from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("csv/<slug:chart_id>.csv", views.chart_csv, name="csv"),
]
