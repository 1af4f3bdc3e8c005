"""The legal pages: each territory's, under `/<territory_slug>/`, and the national ones (the pages
outside a territory's site: the landing page, the personal space, the admin)."""

from django.urls import path

from portal.privacy import views
from portal.privacy.enums import LegalPage

app_name = "privacy"

urlpatterns = [
    path(f"{LegalPage.LEGAL_NOTICE}/", views.legal_notice, name="national_legal_notice"),
    path(f"{LegalPage.PRIVACY}/", views.privacy, name="national_privacy"),
    path(f"{LegalPage.ACCESSIBILITY}/", views.accessibility, name="national_accessibility"),
    path(f"<slug:territory_slug>/{LegalPage.LEGAL_NOTICE}/", views.legal_notice, name="legal_notice"),
    path(f"<slug:territory_slug>/{LegalPage.PRIVACY}/", views.privacy, name="privacy"),
    path(f"<slug:territory_slug>/{LegalPage.ACCESSIBILITY}/", views.accessibility, name="accessibility"),
]
