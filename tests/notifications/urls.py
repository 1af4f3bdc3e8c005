"""The portal's URLs with the notifications mounted where the lead mounts them (espace/notifications/)."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

_mounted = any(getattr(pattern, "namespace", None) == "notifications" for pattern in portal_urlpatterns)
urlpatterns = [
    *([] if _mounted else [path("espace/notifications/", include("portal.notifications.urls"))]),
    *portal_urlpatterns,
]
