"""The training axis' pages, mounted by the portal at `<slug:territory_slug>/formation/`: host sites,
placements and housing here; sessions, scholarships and outreach in `urls_programmes`.

`training:home` is the entry point shown on the territory's home page."""

from django.urls import path

from training.urls_programmes import urlpatterns as programmes
from training.views import public, student

app_name = "training"

urlpatterns = [
    path("", public.home, name="home"),
    path("stages/", public.offer_list, name="offer_list"),
    path("stages/<int:pk>/", public.offer_detail, name="offer_detail"),
    path("stages/<int:pk>/inscription/", student.placement_register, name="placement_register"),
    path("lieux-de-stage/", public.sites_by_commune, name="sites_by_commune"),
    path("mes-stages/", student.my_placements, name="my_placements"),
    path("mes-stages/<int:pk>/logement/", student.housing_request, name="housing_request"),
    path("mes-stages/<int:pk>/retirer/", student.placement_cancel, name="placement_cancel"),
    path("mes-logements/<int:pk>/annuler/", student.booking_cancel, name="booking_cancel"),
    path("mon-lieu-de-stage/", student.site_placements, name="site_placements"),
    *programmes,
]
