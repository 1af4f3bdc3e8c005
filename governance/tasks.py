"""Background jobs of the governance app. The PDFs (report, minutes, register) are built by
portal.documents' task; this app only adds the convocation reminders, run every morning (their
beat entry is declared on GovernanceConfig, see portal/hooks.py).
"""

from celery import shared_task

from governance.services.convocations import convocation_reminders_send


@shared_task(name="governance.send_convocation_reminders", acks_late=True, periodic=True)
def send_convocation_reminders() -> int:
    # Each reminder is claimed row by row (reminded_at), so a re-run after a crash never sends twice.
    return convocation_reminders_send()
