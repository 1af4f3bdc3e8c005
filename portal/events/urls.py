"""Mounted by the project under `<slug:territory_slug>/evenements/` (namespace "events")."""

from django.urls import path

from portal.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/invitation.ics", views.invitation_ics, name="ics"),
    path("agenda.ics", views.agenda_ics, name="feed"),
    path("<int:pk>/presences/", views.attendance_sheet, name="attendance"),
    path("confirmer/<str:token>/", views.registration_confirm, name="confirm"),
    path("annuler/<str:token>/", views.registration_cancel_by_link, name="cancel_by_link"),
]
