"""Mounted by the project under `<slug:territory_slug>/documents/` (namespace "documents")."""

from django.urls import path

from portal.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/etat/", views.status_part, name="status_part"),
    path("<int:pk>/relancer/", views.retry, name="retry"),
    path("<int:pk>/telecharger/", views.download, name="download"),
]
