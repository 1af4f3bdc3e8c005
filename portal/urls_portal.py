from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accueil/", views.home, name="home"),
    path("espace/", views.personal_space, name="personal_space"),
    path("espace/profil/", views.profile_edit, name="profile_edit"),
    path("<slug:territory_slug>/", views.territory_home, name="territory_home"),
]
