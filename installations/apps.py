from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstallationsConfig(AppConfig):
    name = "installations"
    verbose_name = _("Accompagnement à l'installation")
    # Shown on each territory's home page (portal.selectors.territory_entry_points); the URL name
    # is that of the applicant-facing pages (installations.urls, mounted under the territory).
    public_entry = {
        "title": _("S'installer sur le territoire"),
        "text": _(
            "Médecin, interne, infirmier ou autre professionnel de santé : un guichet unique vous accompagne "
            "dans toutes les étapes de votre installation (locaux, aides, logement, emploi du conjoint, écoles)."
        ),
        "url_name": "installations:start",
    }
    annual_report_section = "installations.selectors.annual_report_section"
    demo_data = "installations.demo.build"
