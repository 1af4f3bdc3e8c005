from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Gouvernance")
    # Hooks read by portal without importing this app (see portal.selectors, portal.reporting,
    # portal.documents.permissions and portal.demo).
    public_entry = {
        "title": _("Gouvernance et Contrat local de santé"),
        "text": _(
            "Pour les élus et les membres des instances : chiffres clés de l'année, prochaines séances, "
            "comptes rendus et bilans annuels à télécharger."
        ),
        "url_name": "governance:dashboard",
    }
    annual_report_section = "governance.selectors.annual_report_section"
    document_member_check = "governance.selectors.is_body_member"
    demo_data = "governance.demo.build"
