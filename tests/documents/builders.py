"""Builders used by the tests (real builders, run by the real task code)."""

import datetime

from django.utils import timezone

from portal.documents.builders import document_builder, report_context
from portal.reporting import ReportSection, ReportTable


class Switch:
    """Lets a test break a builder's dependency, then repair it (as an operator would)."""

    broken = False


class WorkerKilled(BaseException):
    """Stands for SIGKILL: like a killed process, nothing after it runs (not even `except Exception`)."""


@document_builder
def sample_builder(*, territory, params):
    from portal.models import Membership

    # One query whatever the number of rows, as a real report builder must.
    staff = list(Membership.objects.for_territory(territory).select_related("user").order_by("pk"))
    rows = [[m.user.email, m.get_role_display()] for m in staff]
    section = ReportSection(
        title="Gouvernance du contrat local de santé",
        text=params.get("text", "Séance plénière du conseil de santé."),
        figures=[("Membres", str(len(rows)))],
        tables=[ReportTable(caption="Composition", headers=["Personne", "Rôle"], rows=rows)],
    )
    return "documents/report.html", report_context(
        title=params.get("title", "Bilan annuel 2025"), territory=territory, sections=[section]
    )


@document_builder
def flaky_builder(*, territory, params):
    if Switch.broken:
        raise RuntimeError("Les données de l'axe prévention sont indisponibles")
    return sample_builder(territory=territory, params=params)


@document_builder
def broken_template_builder(*, territory, params):
    return "documents_tests/broken.html", {"title": "Cassé", "territory": territory}


@document_builder
def killed_builder(*, territory, params):
    # The worker dies mid-render: the row stays `running`; its last sign of life is pushed back in
    # time so the sweep sees its lease as run out.
    from portal.documents.enums import DocumentStatus
    from portal.documents.models import GeneratedDocument

    GeneratedDocument.objects.for_territory(territory).filter(status=DocumentStatus.RUNNING).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    raise WorkerKilled


@document_builder
def declared_dead_builder(*, territory, params):
    """While this build runs, the sweep declares it dead (its lease ran out: a frozen worker)."""
    from portal.documents.enums import DocumentStatus
    from portal.documents.models import GeneratedDocument

    GeneratedDocument.objects.for_territory(territory).filter(status=DocumentStatus.RUNNING).update(
        status=DocumentStatus.FAILED, error="interrompu (déclaré par le balayage)"
    )
    return sample_builder(territory=territory, params=params)


@document_builder
def slow_builder(*, territory, params):
    """A render that takes `params["seconds"]` (sleeping in small steps, as WeasyPrint computes in
    Python): long enough for a test to kill its worker process mid-render."""
    import time

    deadline = time.monotonic() + float(params.get("seconds", 10))
    while time.monotonic() < deadline:
        time.sleep(0.05)
    return sample_builder(territory=territory, params=params)


def not_a_builder(*, territory, params):
    return "documents/report.html", {}


def member_of_body_7(*, user, territory, body_id):
    """Stands for governance's membership check: members of body 7 are those whose e-mail says so."""
    return str(body_id) == "7" and user.email.startswith("membre7")


@document_builder
def refusing_builder(*, territory, params):
    """A builder that cannot build, for a reason it writes for people."""
    from portal.documents.builders import DocumentBuildError

    raise DocumentBuildError("aucune réunion n'a eu lieu en 2031.")


@document_builder
def timed_out_builder(*, territory, params):
    """What Celery raises inside a build when the soft time limit strikes."""
    from celery.exceptions import SoftTimeLimitExceeded

    raise SoftTimeLimitExceeded("SoftTimeLimitExceeded(300,)")
