from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks, PublicEntry, RetentionRule


class PreventionConfig(AppConfig):
    name = "prevention"
    verbose_name = _("Prévention")
    # What portal reads of this app (see portal/hooks.py). No periodic task: the agenda's reminders
    # are portal/events' (its events are of kind "prevention.agenda").
    hooks = AppHooks(
        # Shown on anonymous public pages: a change makes them stale (portal/public_cache.py).
        public_models=("PreventionEvent", "AgendaDetails", "PreventionSettings"),
        public_entry=PublicEntry(
            title=_("Prévention santé"),
            text=_(
                "Mercredis de la santé, conférences, formations aux premiers secours : l'agenda de prévention, "
                "avec inscription en ligne sans compte, et les actions menées dans chaque commune."
            ),
            url_name="prevention:agenda",
        ),
        annual_report_section="prevention.selectors.annual_report_section",
        demo_data="prevention.demo.build",
        # Durations: PERSONAL_DATA_RETENTION_DAYS (config/settings/base.py), which says why each. The
        # agenda's registrations are portal/events' rule ("events.anonymous_registrations").
        retention=(
            RetentionRule(
                "prevention.ambassadors",
                label=_(
                    "Ambassadeurs santé (nom, e-mail, téléphone, lieux de relais), à compter du jour où ils ont cessé"
                ),
                outcome=_("supprimés"),
                purge="prevention.services.retention.ambassadors_delete",
            ),
            RetentionRule(
                "prevention.health_students",
                label=_(
                    "Étudiants du service sanitaire et référents pédagogiques de leurs équipes, à compter de la fin "
                    "de l'année universitaire (31 août)"
                ),
                outcome=_("anonymisés : les équipes et leurs interventions restent"),
                purge="prevention.services.retention.health_students_anonymise",
            ),
        ),
    )
