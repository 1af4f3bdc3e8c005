from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.hooks import AppHooks, PublicEntry, RetentionRule, RoleHome


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Formation et internes")
    # What portal reads of this app (see portal/hooks.py).
    hooks = AppHooks(
        # Shown on anonymous public pages: a change makes them stale (portal/public_cache.py).
        public_models=("Offer", "OfferSite", "HostSite", "Supervisor", "Placement"),
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
        # Durations: PERSONAL_DATA_RETENTION_DAYS (config/settings/base.py), which says why each.
        retention=(
            RetentionRule(
                "training.refused_applications",
                label=_(
                    "Candidatures refusées aux bourses (identité, motivation, motif du refus, justificatifs "
                    "déposés), à compter de la décision"
                ),
                outcome=_("anonymisées, justificatifs supprimés : seuls restent des chiffres"),
                purge="training.services.retention.refused_applications_anonymise",
            ),
            RetentionRule(
                "training.ended_commitments",
                label=_(
                    "Bourses accordées dont l'engagement d'exercice est tenu ou rompu (identité, motivation, "
                    "justificatifs, lieu d'exercice, notes de suivi), à compter de la fin de l'engagement"
                ),
                outcome=_("anonymisées, justificatifs supprimés : seuls restent des chiffres"),
                purge="training.services.retention.ended_commitments_anonymise",
            ),
            RetentionRule(
                "training.placements",
                label=_(
                    "Stages déclarés et leurs besoins (nom, e-mail, précisions), kits d'accueil remis, "
                    "à compter de la fin du stage ou de la remise du kit"
                ),
                outcome=_("anonymisés : seuls restent des chiffres"),
                purge="training.services.retention.placements_anonymise",
            ),
            RetentionRule(
                "training.housing_bookings",
                label=_(
                    "Réservations de logement (occupant, e-mail, note, dates d'arrivée et de remise des clés), "
                    "à compter du départ"
                ),
                outcome=_("anonymisées : seuls restent des chiffres"),
                purge="training.services.retention.housing_bookings_anonymise",
            ),
            RetentionRule(
                "training.session_registrations",
                label=_(
                    "Inscriptions avec un compte aux formations (personne, attestation de présence), à compter de "
                    "la fin de la formation ; celles sans compte suivent la règle des événements"
                ),
                outcome=_("anonymisées : la présence reste comptée sans nom"),
                purge="training.services.retention.session_registrations_anonymise",
            ),
            RetentionRule(
                "training.tutor_pairs",
                label=_("Binômes de tutorat, à compter de la fin du tutorat"),
                outcome=_("supprimés"),
                purge="training.services.retention.tutor_pairs_delete",
            ),
        ),
    )
