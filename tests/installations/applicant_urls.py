"""The portal's URLs with the applicant's pages mounted where the portal mounts them
(`<slug:territory_slug>/installation/`), for the applicant-side tests to run whether or not the
portal's URLconf already includes them."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("<slug:territory_slug>/installation/", include("installations.urls")),
    *portal_urlpatterns,
]
