"""Background jobs of the governance app. The PDFs (report, minutes, register) are built by
portal.documents' task; this app only adds the convocation reminders.

Beat (to merge into CELERY_BEAT_SCHEDULE):

    "governance-convocation-reminders": {
        "task": "governance.send_convocation_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
"""

from celery import shared_task

from governance.services.convocations import convocation_reminders_send


@shared_task(name="governance.send_convocation_reminders", acks_late=True)
def send_convocation_reminders() -> int:
    # Each reminder is claimed row by row (reminded_at), so a re-run after a crash never sends twice.
    return convocation_reminders_send()
