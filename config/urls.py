from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import health, views

# The admin's login goes through allauth: its rate limits and the second factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Guichet unique santé — administration"
admin.site.site_title = "Guichet unique santé"
admin.site.index_title = "Tableau de bord"

handler400 = "portal.security.bad_request"

urlpatterns = [
    # Answered by portal.health.HealthCheckMiddleware before the session and CSRF middleware; the
    # routes are here for reverse() and for a stack without that middleware.
    path("healthz", health.status, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("favicon.ico", views.root_icon, {"name": "favicon.ico"}, name="favicon"),
    path("apple-touch-icon.png", views.root_icon, {"name": "apple-touch-icon.png"}, name="apple_touch_icon"),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("espace/notifications/", include("portal.notifications.urls")),
    path("espace/inscriptions/", include("portal.events.urls_space")),
    path("espace/bourses/", include("training.urls_space")),
    path("<slug:territory_slug>/documents/", include("portal.documents.urls")),
    path("<slug:territory_slug>/evenements/", include("portal.events.urls")),
    # The axis apps, each under its territory's path (the territory middleware resolves the slug).
    path("<slug:territory_slug>/installation/", include("installations.urls")),
    path("<slug:territory_slug>/gouvernance/", include("governance.urls")),
    path("<slug:territory_slug>/formation/", include("training.urls")),
    path("<slug:territory_slug>/prevention/", include("prevention.urls")),
    # Before portal's `<territory_slug>/`: the national legal pages' segments are reserved slugs.
    path("", include("portal.privacy.urls")),
    path("", include("portal.urls_portal")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
