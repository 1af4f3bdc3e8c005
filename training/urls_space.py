"""A student's scholarship applications, in their space: mounted under `espace/bourses/` (namespace
"training_space")."""

from django.urls import path

from training.views import scholarships

app_name = "training_space"

urlpatterns = [
    path("", scholarships.my_applications, name="applications"),
    path("<int:pk>/", scholarships.my_application, name="application"),
]
