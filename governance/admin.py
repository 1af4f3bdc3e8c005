"""The coordinator's daily tools: bodies and their composition, meetings (agenda, documents,
convocations and attendance), the register, working groups, the CLS action plan, the annual report.

Writes with business rules go through governance.services (admin forms reuse their checks);
inline rows take the territory of the row they belong to.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from governance import selectors
from governance.forms import DeliberationAdminForm, MandateAdminForm, MeetingAdminForm
from governance.models import (
    ActionAxis,
    ActionSheet,
    AgendaItem,
    AnnualReport,
    Body,
    College,
    Deliberation,
    GovernanceEvent,
    Indicator,
    IndicatorValue,
    Mandate,
    Meeting,
    MeetingDocument,
    Participation,
    ProgressNote,
    WorkingGroup,
)
from governance.services.annual_report import report_mark_noted, report_mark_sent, report_request
from governance.services.convocations import meeting_cancel, meeting_convene
from governance.services.council import mandate_save
from governance.services.meetings import attendance_record, minutes_publish
from governance.services.register import deliberation_record, register_request
from portal.concurrency import VersionedAdminMixin, VersionedModelForm
from portal.documents.notices import status_path
from portal.tenancy.admin import ReadOnlyAdminMixin, TerritoryScopedAdmin, TerritoryScopedInline


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _follow(documents):
    """After asking for one document, the page that follows its preparation; for several, the list."""
    documents = [document for document in documents if document is not None]
    return HttpResponseRedirect(status_path(documents[0])) if len(documents) == 1 else None


class GovernanceAdmin(VersionedAdminMixin, TerritoryScopedAdmin):
    # Every form of the council's records carries the version it was read at: a save over a newer
    # one is refused, saying who changed what (portal/concurrency.py).
    form = VersionedModelForm

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            instance.territory_id = form.instance.territory_id
            instance.save()
        formset.save_m2m()

    def _run(self, request, func, success_message):
        """Run a service for an admin action, turning refusals into messages."""
        try:
            result = func()
        except (ValidationError, PermissionDenied) as error:
            text = _error_text(error) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, text, messages.ERROR)
            return None
        if success_message:
            self.message_user(request, success_message, messages.SUCCESS)
        return result if result is not None else True


# --- bodies and composition ----------------------------------------------------------------
class CollegeInline(TerritoryScopedInline, admin.TabularInline):
    model = College
    fields = ["name", "description"]


@admin.register(Body)
class BodyAdmin(GovernanceAdmin):
    list_display = ["name", "kind", "territory", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [CollegeInline]
    actions = ["export_csv", "request_register"]

    @admin.action(description=_("Générer le registre de l'année en PDF"))
    def request_register(self, request, queryset):
        year = timezone.localdate().year
        documents = [
            self._run(
                request,
                lambda body=body: register_request(actor=request.user, body=body, year=year),
                _("Registre %(year)s de « %(body)s » demandé.") % {"year": year, "body": body},
            )
            for body in queryset.select_related("territory")
        ]
        return _follow(documents)


@admin.register(College)
class CollegeAdmin(GovernanceAdmin):
    list_display = ["name", "body", "territory"]
    list_filter = ["body"]
    search_fields = ["name"]


@admin.register(Mandate)
class MandateAdmin(GovernanceAdmin):
    form = MandateAdminForm
    list_display = ["__str__", "body", "college", "category", "position", "start_date", "end_date", "is_voting"]
    list_filter = ["body", "category", "position", "is_voting"]
    search_fields = ["person_name", "user__last_name", "user__email", "organisation__name"]
    list_select_related = ["body", "college", "user", "organisation"]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        mandate_save(actor=request.user, mandate=obj)


# --- meetings ------------------------------------------------------------------------------
class AgendaItemInline(TerritoryScopedInline, admin.TabularInline):
    model = AgendaItem
    fields = ["order", "title", "description"]


class MeetingDocumentInline(TerritoryScopedInline, admin.TabularInline):
    model = MeetingDocument
    fields = ["title", "file"]


class ParticipationInline(TerritoryScopedInline, admin.TabularInline):
    model = Participation
    fields = ["mandate", "reply", "represented_by", "attendance", "convened_at"]
    readonly_fields = ["convened_at"]
    autocomplete_fields = []


@admin.register(Meeting)
class MeetingAdmin(GovernanceAdmin):
    form = MeetingAdminForm
    list_display = ["title", "body", "kind", "starts_at", "status", "quorum", "minutes_published_at"]
    list_filter = ["body", "kind", "status"]
    search_fields = ["title", "place"]
    # The autocomplete pages through meetings: an unordered list could repeat or skip some.
    ordering = ["-starts_at", "-id"]
    list_select_related = ["body"]
    date_hierarchy = "starts_at"
    readonly_fields = ["convened_at", "minutes_published_at", "minutes_document"]
    inlines = [AgendaItemInline, MeetingDocumentInline, ParticipationInline]
    actions = ["export_csv", "convene", "close_with_attendance", "publish_minutes", "cancel"]

    def get_queryset(self, request):
        return selectors.with_quorum_counts(super().get_queryset(request))

    @admin.display(description=_("quorum"))
    def quorum(self, obj):
        if obj.status != "held":
            return "—"
        quorum = selectors.quorum_from_counts(obj)
        state = _("atteint") if quorum.reached else _("non atteint")
        return f"{state} ({quorum.counted}/{quorum.required})"

    @admin.action(description=_("Envoyer les convocations (e-mail et invitation d'agenda)"))
    def convene(self, request, queryset):
        for meeting in queryset.select_related("body", "territory"):
            self._run(
                request,
                lambda meeting=meeting: meeting_convene(actor=request.user, meeting=meeting),
                _("Convocations envoyées pour « %(title)s ».") % {"title": meeting.title},
            )

    @admin.action(description=_("Annuler la réunion (les membres convoqués sont prévenus)"))
    def cancel(self, request, queryset):
        for meeting in queryset.select_related("body", "territory"):
            self._run(
                request,
                lambda meeting=meeting: meeting_cancel(actor=request.user, meeting=meeting),
                _("Réunion « %(title)s » annulée.") % {"title": meeting.title},
            )

    @admin.action(description=_("Clore la séance avec les présences relevées"))
    def close_with_attendance(self, request, queryset):
        for meeting in queryset.select_related("body", "territory"):
            attendance = dict(meeting.participations.values_list("pk", "attendance"))
            self._run(
                request,
                lambda meeting=meeting, attendance=attendance: attendance_record(
                    actor=request.user, meeting=meeting, attendance=attendance
                ),
                _("Séance « %(title)s » close.") % {"title": meeting.title},
            )

    @admin.action(description=_("Publier le compte rendu aux membres"))
    def publish_minutes(self, request, queryset):
        meetings = [
            self._run(
                request,
                lambda meeting=meeting: minutes_publish(actor=request.user, meeting=meeting),
                _("Compte rendu de « %(title)s » publié.") % {"title": meeting.title},
            )
            for meeting in queryset.select_related("body", "territory")
        ]
        return _follow([meeting.minutes_document for meeting in meetings if meeting])


@admin.register(Deliberation)
class DeliberationAdmin(GovernanceAdmin):
    form = DeliberationAdminForm
    list_display = ["reference", "title", "body", "kind", "decided_on", "votes_for", "votes_against", "outcome"]
    list_filter = ["body", "kind", "outcome", "year"]
    search_fields = ["title", "text"]
    list_select_related = ["body"]
    readonly_fields = ["reference"]

    @admin.display(description=_("numéro"))
    def reference(self, obj):
        return obj.reference if obj.pk else _("attribué à l'enregistrement")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = deliberation_record(
            actor=request.user,
            body=data["body"],
            meeting=data.get("meeting"),
            kind=data["kind"],
            title=data["title"],
            text=data.get("text", ""),
            decided_on=data["decided_on"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            abstentions=data["abstentions"],
            outcome=data["outcome"],
        )
        obj.pk, obj.year, obj.number = created.pk, created.year, created.number
        obj._state.adding = False


# --- working groups ------------------------------------------------------------------------
class ProgressNoteInline(TerritoryScopedInline, admin.TabularInline):
    model = ProgressNote
    fields = ["written_on", "text", "author"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(GovernanceAdmin):
    list_display = ["name", "body", "theme", "agent_pilot", "professional_pilot", "is_active"]
    list_filter = ["body", "is_active"]
    search_fields = ["name", "theme"]
    list_select_related = ["body", "agent_pilot", "professional_pilot__user", "professional_pilot__organisation"]
    filter_horizontal = ["members"]
    inlines = [ProgressNoteInline]


# --- CLS action plan -----------------------------------------------------------------------
@admin.register(ActionAxis)
class ActionAxisAdmin(GovernanceAdmin):
    list_display = ["number", "title", "territory"]
    search_fields = ["title"]


class IndicatorInline(TerritoryScopedInline, admin.TabularInline):
    model = Indicator
    fields = ["name", "unit"]
    show_change_link = True


@admin.register(ActionSheet)
class ActionSheetAdmin(GovernanceAdmin):
    list_display = ["code", "title", "axis", "pilot", "status", "budget", "end_date"]
    list_filter = ["axis", "status"]
    search_fields = ["code", "title", "pilot", "partners"]
    list_select_related = ["axis"]
    inlines = [IndicatorInline]


class IndicatorValueInline(TerritoryScopedInline, admin.TabularInline):
    model = IndicatorValue
    fields = ["year", "target", "measured"]


@admin.register(Indicator)
class IndicatorAdmin(GovernanceAdmin):
    list_display = ["name", "action", "unit"]
    list_filter = ["action"]
    search_fields = ["name", "action__title"]
    list_select_related = ["action"]
    inlines = [IndicatorValueInline]


# --- annual report -------------------------------------------------------------------------
@admin.register(AnnualReport)
class AnnualReportAdmin(GovernanceAdmin):
    list_display = ["body", "year", "document_status", "is_public", "sent_to_council_at", "noted_at"]
    list_filter = ["body", "year", "is_public"]
    list_select_related = ["body", "document__territory"]
    readonly_fields = ["document"]
    actions = ["export_csv", "generate", "mark_sent", "mark_noted"]

    @admin.display(description=_("document"))
    def document_status(self, obj):
        if obj.document is None:
            return "—"
        # The page that follows the preparation, says why it failed and offers to start it again.
        return format_html('<a href="{}">{}</a>', status_path(obj.document), obj.document.get_status_display())

    def save_model(self, request, obj, form, change):
        if obj.noted_at and (obj.sent_to_council_at is None or obj.noted_at < obj.sent_to_council_at):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class ReportForm(form):
            def clean(self):
                cleaned = super().clean()
                sent, noted = cleaned.get("sent_to_council_at"), cleaned.get("noted_at")
                if noted and not sent:
                    self.add_error("noted_at", _("Indiquez d'abord la date de transmission au conseil communautaire."))
                elif noted and sent and noted < sent:
                    self.add_error("noted_at", _("Le conseil ne peut pas prendre acte du bilan avant de l'avoir reçu."))
                return cleaned

        return ReportForm

    @admin.action(description=_("Générer (ou régénérer) le bilan en PDF"))
    def generate(self, request, queryset):
        reports = [
            self._run(
                request,
                lambda report=report: report_request(actor=request.user, body=report.body, year=report.year),
                _("Génération du bilan %(year)s demandée.") % {"year": report.year},
            )
            for report in queryset.select_related("body", "territory")
        ]
        return _follow([report.document for report in reports if report])

    @admin.action(description=_("Marquer comme transmis au conseil communautaire aujourd'hui"))
    def mark_sent(self, request, queryset):
        done = sum(
            1
            for report in queryset
            if self._run(request, lambda report=report: report_mark_sent(actor=request.user, report=report), "")
        )
        self.message_user(request, ngettext("%d bilan marqué.", "%d bilans marqués.", done) % done)

    @admin.action(description=_("Marquer : le conseil communautaire a pris acte aujourd'hui"))
    def mark_noted(self, request, queryset):
        done = sum(
            1
            for report in queryset
            if self._run(request, lambda report=report: report_mark_noted(actor=request.user, report=report), "")
        )
        self.message_user(request, ngettext("%d bilan marqué.", "%d bilans marqués.", done) % done)


@admin.register(GovernanceEvent)
class GovernanceEventAdmin(ReadOnlyAdminMixin, GovernanceAdmin):
    list_display = ["created_at", "verb", "target", "actor"]
    list_filter = ["verb"]
    search_fields = ["target"]
    list_select_related = ["actor"]
