"""Mounted by the project under `<slug:territory_slug>/documents/` (namespace "documents")."""

from django.urls import path

from portal.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/telecharger/", views.download, name="download"),
]
