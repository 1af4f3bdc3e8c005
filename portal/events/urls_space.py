"""A person's registrations, in their space: mounted under `espace/inscriptions/` (namespace "events_space")."""

from django.urls import path

from portal.events import views

app_name = "events_space"

urlpatterns = [
    path("", views.my_registrations, name="list"),
    path("<int:pk>/annuler/", views.my_registration_cancel, name="cancel"),
    path("<int:pk>/attestation/", views.my_certificate, name="certificate"),
]
