"""A case's page in the admin: the form (links to aids and opportunities), the fieldsets for the team
and for a partner referent, the inlines and how they are saved, the workflow buttons, the personal
data export and the documents' download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from installations import selectors
from installations.admin.case_inlines import (
    DocumentInline,
    FollowUpInline,
    MessageAddInline,
    MessageHistoryInline,
    NeedInline,
    NewMessageForm,
    NewNoteForm,
    NoteAddInline,
    NoteHistoryInline,
    TimelineInline,
)
from installations.admin.common import is_team_for
from installations.admin.workflow import WORKFLOW_STEPS, available_steps
from installations.models import Aid, Case, CaseDocument, Message, Need, Note, Opportunity
from installations.services.catalogue import case_link_aid, case_link_opportunity
from installations.services.exchanges import message_post, note_add
from installations.services.needs import need_add, need_refer, need_update
from installations.services.personal_data import case_export_personal_data
from portal.privacy.enums import AccessKind
from portal.privacy.services import access_record


class CaseAdminForm(forms.ModelForm):
    """On the case page only the links to aids and opportunities are edited directly; everything
    else goes through the workflow buttons and the inlines."""

    opportunities = forms.ModelMultipleChoiceField(
        label=_("opportunités liées"),
        queryset=Opportunity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = ["aids"]
        widgets = {"aids": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "aids" in self.fields:
            territory_id = self.instance.territory_id
            self.fields["aids"].queryset = Aid.objects.filter(territory_id=territory_id, active=True)
            self.fields["opportunities"].queryset = Opportunity.objects.filter(territory_id=territory_id)
            self.fields["opportunities"].initial = list(self.instance.opportunities.values_list("pk", flat=True))


class CasePageMixin:
    """CaseAdmin's change form: what the team and a partner referent see of a case, and how the
    form's inlines are saved (through the services)."""

    # What it uses of the CaseAdmin it is part of (declared for the type checker only).
    get_object: Callable[..., Any]

    team_fieldsets = (
        (
            _("Demandeur"),
            {
                "fields": [
                    "reference",
                    "status",
                    "assigned_to",
                    "applicant_identity",
                    "applicant_email",
                    "applicant_phone",
                    "profession",
                    "specialty",
                    "current_situation",
                    "rpps",
                ]
            },
        ),
        (
            _("Projet"),
            {
                "fields": [
                    "communes_column",
                    "planned_date",
                    "practice_mode",
                    "structure_type",
                    "project_description",
                ]
            },
        ),
        (
            _("Foyer (avec consentement)"),
            {
                "classes": ["collapse"],
                "fields": [
                    "household_consent_at",
                    "household_retention_until",
                    "spouse_profession",
                    "children_ages",
                ],
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "submitted_at",
                    "confirmed_at",
                    "first_contact_at",
                    "last_contact_at",
                    "awaiting_reply_since",
                    "settlement_date",
                    "settlement_commune",
                    "closed_at",
                ]
            },
        ),
        (_("Aides et opportunités"), {"fields": ["eligibility", "aids", "opportunities"]}),
    )

    partner_fieldsets = (
        (
            _("Demande"),
            {
                "fields": [
                    "reference",
                    "status",
                    "assigned_to",
                    "profession",
                    "specialty",
                    "communes_column",
                    "planned_date",
                ]
            },
        ),
    )

    readonly_team = [
        "reference",
        "status",
        "assigned_to",
        "applicant_identity",
        "applicant_email",
        "applicant_phone",
        "profession",
        "specialty",
        "current_situation",
        "rpps",
        "communes_column",
        "planned_date",
        "practice_mode",
        "structure_type",
        "project_description",
        "household_consent_at",
        "household_retention_until",
        "spouse_profession",
        "children_ages",
        "submitted_at",
        "confirmed_at",
        "first_contact_at",
        "last_contact_at",
        "awaiting_reply_since",
        "settlement_date",
        "settlement_commune",
        "closed_at",
        "eligibility",
    ]

    @admin.display(description=_("demandeur"))
    def applicant_identity(self, obj):
        return obj.applicant_name

    @admin.display(description=_("communes envisagées"))
    def communes_column(self, obj):
        return ", ".join(c.name for c in obj.target_communes.all()) or "—"

    @admin.display(description=_("aides possibles"))
    def eligibility(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        results = selectors.case_eligible_aids(obj)
        if not results:
            return _("Aucune aide au catalogue du territoire.")
        verdicts = {True: _("éligible"), False: _("non éligible"), None: _("à vérifier")}
        classes = {True: "inst-aid-yes", False: "inst-aid-no", None: "inst-aid-maybe"}
        return format_html(
            '<ul class="inst-aids">{}</ul>',
            format_html_join(
                "",
                '<li class="{}"><strong>{}</strong> — {} : {}</li>',
                (
                    (classes[r.eligible], r.aid.name, verdicts[r.eligible], " ".join(str(x) for x in r.reasons))
                    for r in results
                ),
            ),
        )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not is_team_for(request, obj.territory_id):
            return self.partner_fieldsets
        return self.team_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not is_team_for(request, obj.territory_id):
            return ["reference", "status", "assigned_to", "profession", "specialty", "communes_column", "planned_date"]
        return self.readonly_team

    def get_inlines(self, request, obj):
        if obj is None or not is_team_for(request, obj.territory_id):
            return []
        return [
            NeedInline,
            MessageHistoryInline,
            MessageAddInline,
            NoteHistoryInline,
            NoteAddInline,
            DocumentInline,
            FollowUpInline,
            TimelineInline,
        ]

    def save_model(self, request, obj, form, change):
        # Nothing of the case itself is written from the form (see CaseAdminForm).
        if not is_team_for(request, obj.territory_id):
            raise PermissionDenied

    def save_related(self, request, form, formsets, change):
        case = form.instance
        with transaction.atomic():
            wanted_aids = set(form.cleaned_data.get("aids") or [])
            current_aids = set(case.aids.all())
            for aid in wanted_aids - current_aids:
                case_link_aid(actor=request.user, case=case, aid=aid)
            if current_aids - wanted_aids:
                case.aids.remove(*(current_aids - wanted_aids))
            wanted_opps = set(form.cleaned_data.get("opportunities") or [])
            current_opps = set(case.opportunities.all())
            for opportunity in wanted_opps - current_opps:
                case_link_opportunity(actor=request.user, case=case, opportunity=opportunity)
            for opportunity in current_opps - wanted_opps:
                opportunity.cases.remove(case)
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        case = form.instance
        model = formset.model
        # The change message reads what formset.save() would have set; the services write instead.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if model is Need:
            for need_form in formset.forms:
                if not need_form.has_changed() or not hasattr(need_form, "cleaned_data"):
                    continue
                self._save_need(request, case, need_form)
        elif model is Message and isinstance(formset.form(), NewMessageForm):
            for message_form in formset.forms:
                body = (getattr(message_form, "cleaned_data", {}) or {}).get("body")
                if body:
                    message_post(actor=request.user, case=case, body=body)
        elif model is Note and isinstance(formset.form(), NewNoteForm):
            for note_form in formset.forms:
                body = (getattr(note_form, "cleaned_data", {}) or {}).get("body")
                if body:
                    note_add(actor=request.user, case=case, body=body)

    def _save_need(self, request, case, need_form):
        data = need_form.cleaned_data
        if need_form.instance.pk is None:
            need = need_add(actor=request.user, case=case, kind=data["kind"], details=data.get("details", ""))
        else:
            # The form has already copied its values on its instance: read the stored need again.
            need = Need.objects.select_related("territory", "case").get(pk=need_form.instance.pk, case=case)
        need_update(
            actor=request.user,
            need=need,
            state=data.get("state") or need.state,
            owner=data.get("owner"),
            due_date=data.get("due_date"),
            details=data.get("details", ""),
        )
        referent, organisation = data.get("referent"), data.get("referred_to")
        if referent and organisation and (referent.pk != need.referent_id or organisation.pk != need.referred_to_id):
            need_refer(actor=request.user, need=need, organisation=organisation, referent=referent)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and is_team_for(request, obj.territory_id):
            context["workflow_steps"] = [
                (step, WORKFLOW_STEPS[step], reverse("admin:installations_case_workflow", args=[obj.pk, step]))
                for step in available_steps(obj)
            ]
            if not obj.erased_at:
                context["personal_data_url"] = reverse("admin:installations_case_personal_data", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _team_case(self, request, object_id) -> Case:
        case = self.get_object(request, object_id)
        if not is_team_for(request, case.territory_id):
            raise Http404(_("Cet élément n'existe pas."))
        return case

    def personal_data_view(self, request, object_id):
        """The applicant's data as JSON, for a request made to the team (right of access)."""
        case = self._team_case(request, object_id)
        data = case_export_personal_data(actor=request.user, case=case)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="donnees-{case.reference}.json"'
        return response

    def document_view(self, request, object_id, document_pk):
        case = self._team_case(request, object_id)
        document = get_object_or_404(
            CaseDocument.objects.filter(case=case, territory_id=case.territory_id), pk=document_pk
        )
        access_record(
            user=request.user,
            territory_ids=[case.territory_id],
            kind=AccessKind.DOCUMENT,
            object_ref=f"{case.reference} — {document.original_name}",
            object_id=document.pk,
            request=request,
        )
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
