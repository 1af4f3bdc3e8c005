"""Mounted by the project under `<slug:territory_slug>/gouvernance/` (namespace "governance")."""

from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/reponse/", views.meeting_reply, name="meeting_reply"),
    path("reunions/<int:meeting_pk>/documents/<int:pk>/", views.meeting_document, name="meeting_document"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
]
