"""The project's URLs with the governance pages mounted where the lead mounts them, for as long as
portal.urls does not include them itself (then this is the project's URLconf unchanged)."""

from django.urls import get_resolver, include, path

from portal.urls import urlpatterns as project_urlpatterns

if "governance" in get_resolver("portal.urls").namespace_dict:
    urlpatterns = list(project_urlpatterns)
else:
    urlpatterns = [
        path("<slug:territory_slug>/gouvernance/", include("governance.urls")),
        *project_urlpatterns,
    ]
