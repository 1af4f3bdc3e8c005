from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.hooks import AppHooks, PeriodicTask, PublicEntry, RetentionRule, RoleHome


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Gouvernance")
    # What portal reads of this app (see portal/hooks.py).
    hooks = AppHooks(
        public_entry=PublicEntry(
            title=_("Gouvernance et Contrat local de santé"),
            text=_(
                "Pour les élus et les membres des instances : chiffres clés de l'année, prochaines séances, "
                "comptes rendus et bilans annuels à télécharger."
            ),
            url_name="governance:dashboard",
        ),
        annual_report_section="governance.selectors.annual_report_section",
        document_member_check="governance.selectors.is_body_member",
        demo_data="governance.demo.build",
        role_homes=(
            RoleHome(
                roles=(Role.ELECTED_OFFICIAL, Role.COUNCIL_MEMBER),
                url_name="governance:dashboard",
                title=_("Gouvernance et Contrat local de santé"),
            ),
        ),
        periodic_tasks=(
            PeriodicTask(
                "governance-convocation-reminders",
                task="governance.send_convocation_reminders",
                # Morning, Europe/Paris (CELERY_TIMEZONE): members are reminded of the day's
                # and the coming meetings before their working day.
                schedule=crontab(hour=8, minute=0),
                options={"expires": 6 * 3600},
            ),
        ),
        # Durations: PERSONAL_DATA_RETENTION_DAYS (config/settings/base.py), which says why each.
        retention=(
            RetentionRule(
                "governance.former_members",
                label=_(
                    "Membres sortis des instances et des collèges (nom, compte, dates de convocation et de "
                    "réponse), à compter de la fin de leur mandat ; les délibérations, archives publiques, "
                    "sont conservées"
                ),
                outcome=_("anonymisés : la présence reste comptée sans nom"),
                purge="governance.services.retention.former_members_anonymise",
            ),
        ),
    )
