from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.hooks import AppHooks, PublicEntry, RoleHome


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Formation et internes")
    # What portal reads of this app (see portal/hooks.py).
    hooks = AppHooks(
        public_entry=PublicEntry(
            title=_("Se former et faire son stage ici"),
            text=_(
                "Externes, internes, docteurs juniors et étudiants paramédicaux : les offres de stage de chaque "
                "semestre, le logement des internes, l'accueil, les formations et les bourses d'études."
            ),
            url_name="training:home",
        ),
        annual_report_section="training.selectors.annual_report_section",
        demo_data="training.demo.build",
        # Supervisors and host-site managers get no home: the site page answers only those linked
        # to a site (404 otherwise), which a role alone does not say.
        role_homes=(
            RoleHome(roles=(Role.STUDENT,), url_name="training:my_placements", title=_("Mes stages et mon logement")),
        ),
    )
