"""Mounted by the project under `<slug:territory_slug>/formation/` (namespace "training")."""

from training.urls_programmes import urlpatterns as programmes

app_name = "training"

urlpatterns = [*programmes]
