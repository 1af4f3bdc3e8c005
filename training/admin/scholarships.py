"""Scholarships in the admin: the programmes, the applications and their decision (through the
services: the applicant is told at each step), the commitments followed after graduation, the
tutor–student pairs."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.events.admin import apply_each
from portal.privacy.enums import AccessKind
from portal.privacy.services import access_record
from portal.tenancy.admin import TerritoryScopedAdmin, TerritoryScopedInline
from training.enums_programmes import ApplicationStatus, DocumentKind
from training.forms_programmes import add_service_errors
from training.models import ApplicationDocument, Commitment, ScholarshipApplication, ScholarshipProgramme, TutorPair
from training.services import scholarships


class ProgrammeAdminForm(forms.ModelForm):
    required_documents = forms.MultipleChoiceField(
        label=_("justificatifs demandés"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Une candidature sans l'un d'eux est refusée au dépôt."),
    )

    class Meta:
        model = ScholarshipProgramme
        fields = [
            "territory",
            "name",
            "kind",
            "conditions",
            "monthly_amount",
            "max_months",
            "years_committed",
            "required_documents",
            "funder",
            "is_open",
        ]


@admin.register(ScholarshipProgramme)
class ScholarshipProgrammeAdmin(TerritoryScopedAdmin):
    form = ProgrammeAdminForm
    list_display = ["name", "kind", "monthly_amount", "max_months", "years_committed", "is_open"]
    list_filter = ["kind", "is_open"]
    search_fields = ["name"]
    list_select_related = ["territory"]


class DocumentInline(TerritoryScopedInline, admin.TabularInline):
    model = ApplicationDocument
    fields = readonly_fields = ("kind", "download", "content_type", "size", "created_at")
    can_delete = False

    def may_write(self, request, obj) -> bool:
        # Joined by the student with their application, checked by the service: read-only here.
        return False

    @admin.display(description=_("fichier"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:training_scholarshipapplication_document", args=[obj.application_id, obj.pk]),
            obj.original_name,
        )


class CommitmentInline(TerritoryScopedInline, admin.StackedInline):
    """The commitment of a granted study grant, followed on the application's page after graduation."""

    model = Commitment
    fields = [
        "status",
        "years_committed",
        "graduated_on",
        "practice_place",
        "practice_commune",
        "practice_started_on",
        "years_done",
        "closed_on",
        "notes",
    ]
    readonly_fields = ["years_committed"]
    raw_id_fields = ["practice_commune"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Opened by the grant (application_grant), for programmes that ask for years of practice.
        return False


class DecisionForm(forms.Form):
    GRANT, REFUSE = "grant", "refuse"
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(GRANT, _("Accorder la bourse")), (REFUSE, _("Refuser la candidature"))],
        widget=forms.RadioSelect,
    )
    monthly_amount = forms.DecimalField(
        label=_("Montant mensuel (€)"),
        required=False,
        max_digits=8,
        decimal_places=2,
        help_text=_("Vide : le montant du programme."),
    )
    months = forms.IntegerField(
        label=_("Nombre de mois"), required=False, min_value=1, help_text=_("Vide : la durée du programme.")
    )
    starts_on = forms.DateField(label=_("Premier versement"), required=False)
    reason = forms.CharField(
        label=_("Motif du refus"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Envoyé à la personne."),
    )


@admin.register(ScholarshipApplication)
class ScholarshipApplicationAdmin(TerritoryScopedAdmin):
    access_logged = True
    list_display = ["applicant_name", "programme", "status", "studies", "submitted_at", "granted_monthly_amount"]
    list_filter = ["status", "programme", "studies"]
    search_fields = ["applicant__email", "applicant__last_name", "institution"]
    list_select_related = ["applicant", "programme"]
    date_hierarchy = "submitted_at"
    actions = ["export_csv", "start_review"]
    inlines = [DocumentInline, CommitmentInline]
    fields = readonly_fields = (
        "territory",
        "programme",
        "applicant",
        "status",
        "decision_link",
        "studies",
        "study_year",
        "institution",
        "graduation_year",
        "motivation",
        "submitted_at",
        "review_started_at",
        "decided_at",
        "decided_by",
        "refusal_reason",
        "granted_monthly_amount",
        "granted_months",
        "starts_on",
    )
    export_fields = (
        "programme",
        "applicant",
        "status",
        "studies",
        "institution",
        "graduation_year",
        "submitted_at",
        "decided_at",
        "granted_monthly_amount",
        "granted_months",
    )

    def has_add_permission(self, request):
        # Students apply from the territory's site, with their documents.
        return False

    @admin.display(description=_("candidat ou candidate"), ordering="applicant__last_name")
    def applicant_name(self, obj):
        if obj.applicant is None:
            return _("(anonymisée)")
        return obj.applicant.get_full_name() or obj.applicant.email

    @admin.display(description=_("décision"))
    def decision_link(self, obj):
        if not obj.is_pending:
            return _("Décision prise.")
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:training_scholarshipapplication_decision", args=[obj.pk]),
            _("Accorder ou refuser"),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/decision/", wrap(self.decision_view), name="training_scholarshipapplication_decision"
            ),
            path(
                "<path:object_id>/justificatifs/<int:document_pk>/",
                wrap(self.document_view),
                name="training_scholarshipapplication_document",
            ),
            *super().get_urls(),
        ]

    def _application(self, request, object_id, *, write: bool):
        # get_object is scoped to the user's territories: another territory's application is a 404.
        application = self.get_object(request, object_id)
        allowed = (
            self.has_change_permission(request, application)
            if write
            else self.has_view_permission(request, application)
        )
        if not allowed:
            raise PermissionDenied
        return application

    def document_view(self, request, object_id, document_pk):
        application = self._application(request, object_id, write=False)
        document = get_object_or_404(
            ApplicationDocument.objects.for_territory(application.territory).filter(application=application),
            pk=document_pk,
        )
        access_record(
            user=request.user,
            territory_ids=[application.territory_id],
            kind=AccessKind.DOCUMENT,
            object_ref=str(_("%(kind)s — candidature n° %(pk)s"))
            % {"kind": document.get_kind_display(), "pk": application.pk},
            object_id=document.pk,
            request=request,
        )
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )

    def decision_view(self, request, object_id):
        application = self._application(request, object_id, write=True)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == DecisionForm.GRANT:
                    scholarships.application_grant(
                        actor=request.user,
                        application=application,
                        monthly_amount=data["monthly_amount"],
                        months=data["months"],
                        starts_on=data["starts_on"],
                    )
                else:
                    scholarships.application_refuse(actor=request.user, application=application, reason=data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, _("Décision enregistrée ; la personne en est prévenue."), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:training_scholarshipapplication_change", args=[application.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Décision — %(application)s") % {"application": application},
            "application": application,
            "form": form,
        }
        return TemplateResponse(request, "admin/training/decision.html", context)

    @admin.action(description=_("Passer en examen (les personnes sont prévenues)"))
    def start_review(self, request, queryset):
        apply_each(
            self,
            request,
            queryset.filter(status=ApplicationStatus.SUBMITTED).select_related("territory", "programme", "applicant"),
            lambda application: scholarships.application_review_start(actor=request.user, application=application),
            lambda n: (
                ngettext("%(count)d candidature en examen.", "%(count)d candidatures en examen.", n) % {"count": n}
            ),
        )


@admin.register(Commitment)
class CommitmentAdmin(TerritoryScopedAdmin):
    access_logged = True
    list_display = ["application", "status", "years_committed", "years_done", "practice_place", "practice_started_on"]
    list_filter = ["status"]
    search_fields = ["application__applicant__last_name", "practice_place"]
    list_select_related = ["application__programme", "application__applicant"]
    raw_id_fields = ["practice_commune"]
    readonly_fields = ["application", "years_committed"]

    def has_add_permission(self, request):
        # Opened when a study grant is granted.
        return False


@admin.register(TutorPair)
class TutorPairAdmin(TerritoryScopedAdmin):
    access_logged = True
    list_display = ["tutor", "student", "programme", "started_on", "ended_on"]
    list_filter = ["programme"]
    search_fields = ["tutor__last_name", "student__last_name"]
    list_select_related = ["tutor", "student", "programme"]
    raw_id_fields = ["tutor", "student"]
