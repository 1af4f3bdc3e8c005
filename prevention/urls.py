"""Mounted by the project under `<slug:territory_slug>/prevention/` (namespace "prevention")."""

from django.urls import path

from prevention.views import public, team

app_name = "prevention"

urlpatterns = [
    path("", public.agenda, name="agenda"),
    path("agenda.ics", public.agenda_feed, name="feed"),
    path("communes/", public.communes, name="communes"),
    path("actions/", public.initiative_list, name="initiatives"),
    path("actions/<int:pk>/", public.initiative_detail, name="initiative"),
    path("bonnes-pratiques/", public.good_practices, name="good_practices"),
    path("bonnes-pratiques/partagees/", team.shared_good_practices, name="shared"),
    path("bonnes-pratiques/partagees/<int:pk>/", team.shared_good_practice, name="shared_detail"),
    path("service-sanitaire/", team.sanitary_service, name="sanitary_service"),
    path("documents/<int:pk>/", team.document_download, name="document"),
]
