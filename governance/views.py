"""The signed-in page of elected officials and council members: `/<territory_slug>/gouvernance/`.

Elected officials and the territory's team see every body of their territory; a council member
sees the bodies they sit on, and what is public. Anything else, another territory's included,
answers 404 exactly like a missing page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance import selectors
from governance.forms import ReplyForm
from governance.models import Meeting, MeetingDocument
from governance.services.annual_report import ANNUAL_REPORT_BUILDER
from governance.services.convocations import reply_record
from governance.services.meetings import MINUTES_BUILDER
from governance.services.register import REGISTER_BUILDER
from portal.enums import Role
from portal.reporting import collect_sections
from portal.tenancy.decorators import territory_role_required

READER_ROLES = (Role.ELECTED_OFFICIAL, Role.COUNCIL_MEMBER, Role.COORDINATOR, Role.MANAGER)
GOVERNANCE_BUILDERS = {ANNUAL_REPORT_BUILDER, MINUTES_BUILDER, REGISTER_BUILDER}


def _year(request) -> int:
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("annee", current))
    except ValueError:
        return current
    return year if 2000 <= year <= current + 1 else current


def _reader_meeting(request, pk):
    reader = selectors.reader_for(request.user, request.territory)
    meeting = get_object_or_404(
        Meeting.objects.for_territory(request.territory).select_related("body", "working_group", "minutes_document"),
        pk=pk,
    )
    if not selectors.reader_may_see_meeting(reader, meeting):
        raise Http404
    return reader, meeting


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@territory_role_required(*READER_ROLES)
def dashboard(request, territory_slug):
    territory = request.territory
    reader = selectors.reader_for(request.user, territory)
    year = _year(request)
    return render(
        request,
        "governance/dashboard.html",
        {
            "territory": territory,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            # The key figures of every axis, governance's included, as the annual report shows them.
            "sections": collect_sections(territory=territory, year=year),
            "bodies": list(selectors.visible_bodies(reader, territory)),
            "meetings": list(selectors.upcoming_meetings(reader, territory)),
            "minutes": list(selectors.published_minutes(reader, territory, year=year)),
            "reports": list(selectors.visible_reports(reader, territory)),
        },
    )


@require_GET
@territory_role_required(*READER_ROLES)
def meeting_detail(request, territory_slug, pk):
    _reader, meeting = _reader_meeting(request, pk)
    return _render_meeting(request, meeting, selectors.participation_of(request.user, meeting))


def _render_meeting(request, meeting, participation, form=None):
    if form is None and participation is not None:
        form = ReplyForm(
            participation=participation,
            initial={"reply": participation.reply, "represented_by": participation.represented_by_id},
        )
    return _private(
        render(
            request,
            "governance/meeting_detail.html",
            {
                "territory": request.territory,
                "meeting": meeting,
                "agenda": list(meeting.agenda.all()),
                "documents": list(meeting.documents.all()),
                "participation": participation,
                "form": form,
                "can_reply": participation is not None
                and meeting.status not in ("held", "cancelled")
                and meeting.starts_at > timezone.now(),
            },
            status=400 if form is not None and form.is_bound else 200,
        )
    )


@require_POST
@territory_role_required(*READER_ROLES)
def meeting_reply(request, territory_slug, pk):
    _reader, meeting = _reader_meeting(request, pk)
    participation = selectors.participation_of(request.user, meeting)
    if participation is None:
        raise Http404
    form = ReplyForm(request.POST, participation=participation)
    if form.is_valid():
        try:
            reply_record(
                actor=request.user,
                participation=participation,
                reply=form.cleaned_data["reply"],
                represented_by=form.cleaned_data["represented_by"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Votre réponse est enregistrée."))
            return redirect("governance:meeting_detail", territory_slug=territory_slug, pk=pk)
    return _render_meeting(request, meeting, participation, form=form)


@require_GET
@territory_role_required(*READER_ROLES)
def meeting_document(request, territory_slug, meeting_pk, pk):
    _reader, meeting = _reader_meeting(request, meeting_pk)
    document = get_object_or_404(MeetingDocument.objects.for_territory(request.territory), meeting=meeting, pk=pk)
    try:
        handle = document.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    filename = f"{document.title}.{document.file.name.rsplit('.', 1)[-1]}"
    return _private(FileResponse(handle, as_attachment=True, filename=filename))


@require_GET
def document_download(request, territory_slug, pk):
    """The old address of a generated governance document (report, minutes, register), still in
    e-mails already sent: documents have one download route, which applies the one rule of
    portal/documents/permissions.py."""
    return redirect("documents:download", territory_slug=request.territory.slug, pk=pk, permanent=True)
