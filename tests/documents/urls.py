"""The project's URLs with the documents app mounted where the lead mounts it."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("<slug:territory_slug>/documents/", include("portal.documents.urls")),
    *project_urlpatterns,
]
