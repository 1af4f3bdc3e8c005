"""Training's programmes on the territory's site (sessions, scholarships), joined into `training/urls.py`."""

from django.urls import path

from training.views import scholarships, sessions

urlpatterns = [
    path("sessions/", sessions.session_list, name="sessions"),
    path("bourses/", scholarships.programme_list, name="programmes"),
    path("bourses/<int:pk>/", scholarships.programme_detail, name="programme"),
]
