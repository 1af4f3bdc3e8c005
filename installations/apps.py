from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.hooks import AppHooks, PeriodicTask, PublicEntry, RetentionRule, RoleHome


class InstallationsConfig(AppConfig):
    name = "installations"
    verbose_name = _("Accompagnement à l'installation")
    # What portal reads of this app (see portal/hooks.py). The public entry is shown on each
    # territory's home page; its URL name is that of the applicant-facing pages.
    hooks = AppHooks(
        # Shown on anonymous public pages: a change makes them stale (portal/public_cache.py).
        public_models=("Aid", "Opportunity"),
        public_entry=PublicEntry(
            title=_("S'installer sur le territoire"),
            text=_(
                "Médecin, interne, infirmier ou autre professionnel de santé : un guichet unique vous accompagne "
                "dans toutes les étapes de votre installation (locaux, aides, logement, emploi du conjoint, écoles)."
            ),
            url_name="installations:start",
        ),
        annual_report_section="installations.figures.annual_report_section",
        demo_data="installations.demo.build",
        settled_people="installations.figures.settled_people",
        role_homes=(
            RoleHome(
                roles=(Role.COORDINATOR, Role.MANAGER),
                url_name="admin:installations_dashboard",
                title=_("Tableau de bord de l'accompagnement"),
                territory_in="query",
            ),
            RoleHome(
                roles=(Role.PARTNER,),
                url_name="admin:installations_referrals",
                title=_("Les besoins qui vous sont adressés"),
                territory_in="query",
            ),
        ),
        periodic_tasks=(
            PeriodicTask(
                "installations-daily-reminders",
                task="installations.tasks.reminders_dispatch",
                # Early morning, Europe/Paris (CELERY_TIMEZONE): coordinators find the reminders at work.
                schedule=crontab(hour=7, minute=30),
                options={"expires": 6 * 3600},
            ),
        ),
        # Durations: settings.PERSONAL_DATA_RETENTION_DAYS (the territory's data page shows them).
        retention=(
            RetentionRule(
                "installations.unconfirmed_requests",
                label=_("Demandes d'accompagnement jamais confirmées (adresse e-mail non confirmée)"),
                outcome=_("supprimées"),
                purge="installations.services.retention.unconfirmed_requests_delete",
            ),
            RetentionRule(
                "installations.household",
                label=_(
                    "Informations du foyer (profession du conjoint, âge des enfants, précisions de ces besoins), "
                    "à compter du consentement"
                ),
                outcome=_("effacées (ou dès le retrait du consentement)"),
                purge="installations.services.retention.household_purge_expired",
            ),
            RetentionRule(
                "installations.closed_cases",
                label=_(
                    "Demandes d'accompagnement terminées, retirées ou closes (identité, messages, notes, "
                    "documents), à compter de leur clôture ou, pour une installation, du dernier suivi (5 ans)"
                ),
                outcome=_("anonymisées : seuls restent des chiffres pour les statistiques"),
                purge="installations.services.retention.closed_cases_anonymise",
            ),
        ),
    )

    def ready(self):
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from installations import receivers
        from installations.models import Case, Need
        from portal.models import Commune, Membership, Territory, User

        for model in (Case, Need, Membership):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.territory_changed, sender=model, dispatch_uid=f"installations_list_{model.__name__}"
                )

        # The team and the communes the list offers in its filters (list_cache).
        post_save.connect(receivers.team_member_changed, sender=User, dispatch_uid="installations_list_User")
        post_save.connect(receivers.commune_changed, sender=Commune, dispatch_uid="installations_list_Commune")
        post_save.connect(receivers.territory_saved, sender=Territory, dispatch_uid="installations_list_Territory")
        m2m_changed.connect(
            receivers.territory_communes_changed,
            sender=Territory.communes.through,
            dispatch_uid="installations_list_territory_communes",
        )
        user_logged_in.connect(receivers.claim_on_sign_in, dispatch_uid="installations_claim_on_sign_in")
        email_confirmed.connect(
            receivers.claim_on_email_confirmed, dispatch_uid="installations_claim_on_email_confirmed"
        )
