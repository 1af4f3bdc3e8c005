"""The coordinator's admin for the guichet unique: a case list to live in, the case page with its
needs, timeline, messages and private notes, the dashboard, and the aid and opportunity catalogues.

Every write goes through `installations.services` (inlines and buttons call them), so the rules,
the timeline and the notifications are the same as on the applicant's side. Partner referents see
only the needs referred to them and the minimal information of those needs' cases.
"""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from installations import list_cache, selectors, services
from installations.enums import OPEN_STATUSES, CaseStatus, NeedKind, NeedState
from installations.filters import OPEN, CaseListFilter
from installations.models import Aid, Case, CaseDocument, CaseEvent, FollowUp, Message, Need, Note, Opportunity
from portal.enums import EDITOR_ROLES, Profession, Role
from portal.models import Territory, User
from portal.tenancy.access import territory_ids_for
from portal.tenancy.admin import (
    TerritoryScopedAdmin,
    _Echo,
    _with_bom,
    admin_context_without_sidebar,
    scoped_choices,
)

ADMIN_CSS = {"all": ["admin_extra/installations.css"]}


def team_ids(request) -> set[int]:
    return territory_ids_for(request.user, roles=EDITOR_ROLES)


def partner_ids(request) -> set[int]:
    return territory_ids_for(request.user, roles=[Role.PARTNER])


def is_team_for(request, territory_id) -> bool:
    return request.user.is_superuser or territory_id in team_ids(request)


def _per_request(request, key, compute):
    # A value several parts of one page ask for (the team for the assign actions): read it once.
    memo = request.__dict__.setdefault("_installations_admin_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def profession_field(label):
    return forms.MultipleChoiceField(
        label=label,
        choices=Profession.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toutes les professions."),
    )


# --- inlines ------------------------------------------------------------------------------------


class ScopedInlineFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django offers every row of the table as the hidden id's choices; keep the case's territory.
        field = form.fields.get(self._pk_field.name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = field.queryset.filter(territory_id=self.instance.territory_id)
        # The people and organisations to choose from are the same on every row: read them once
        # per page, not once per row (validation still checks against the field's queryset).
        cache = self.__dict__.setdefault("_choices_cache", {})
        for name, choice_field in form.fields.items():
            if name == self._pk_field.name or not isinstance(choice_field, forms.ModelChoiceField):
                continue
            if isinstance(choice_field, forms.ModelMultipleChoiceField) or choice_field.disabled:
                continue
            if name not in cache:
                cache[name] = list(iter(choice_field.choices))
            choice_field.widget.choices = cache[name]


class ScopedInlineMixin:
    """Inline permissions follow the parent case's territory (team only); choices are scoped."""

    formset: type[forms.BaseInlineFormSet[Any, Any, Any]] = ScopedInlineFormSet

    def _team(self, request, obj):
        if obj is None:
            return request.user.is_superuser or bool(team_ids(request))
        return is_team_for(request, obj.territory_id)

    def _writable(self, request, obj):
        # An erased case is kept for the statistics only: nothing more is written on it.
        return obj is not None and obj.erased_at is None and self._team(request, obj)

    def has_view_permission(self, request, obj=None):
        return self._team(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field.related_model, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # Choosing a person or an organisation is all a coordinator does here: no pop-up to edit
        # or create users and organisations from a case.
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            widget = field.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return field


class NeedInlineForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["kind", "details", "state", "owner", "due_date", "referred_to", "referent"]
        widgets = {"details": forms.Textarea(attrs={"rows": 2, "cols": 30})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["kind"].disabled = True
        # Referral is a state of its own, set by choosing the partner below.
        self.fields["state"].choices = [c for c in self.fields["state"].choices if c[0] != NeedState.REFERRED] + (
            [(NeedState.REFERRED, NeedState.REFERRED.label)] if self.instance.state == NeedState.REFERRED else []
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if (
            self.instance.pk is None
            and kind
            and self.instance.case_id
            and Need.objects.filter(case_id=self.instance.case_id, kind=kind).exists()
        ):
            self.add_error("kind", _("Ce besoin figure déjà dans la demande."))
        organisation, referent = data.get("referred_to"), data.get("referent")
        changed = {"referred_to", "referent"} & set(self.changed_data)
        if changed and (organisation or referent):
            if not (organisation and referent):
                raise ValidationError(_("Pour orienter ce besoin, choisissez l'organisation et son référent."))
            territory = self.instance.case.territory if self.instance.case_id else None
            if territory is None or not services.partner_referents(territory, organisation).filter(pk=referent.pk):
                self.add_error(
                    "referent",
                    _("Cette personne n'est pas référente partenaire de cette organisation sur le territoire."),
                )
        elif changed and self.instance.pk:
            self.add_error("referred_to", _("Une orientation ne peut pas être retirée ; changez l'état du besoin."))
        owner = data.get("owner")
        if (
            owner is not None
            and "owner" in self.changed_data
            and self.instance.case_id
            and not services.is_team_member(owner, self.instance.case.territory)
        ):
            self.add_error("owner", _("Choisissez un membre de l'équipe du territoire."))
        return data


class NeedInline(ScopedInlineMixin, admin.TabularInline):
    model = Need
    form = NeedInlineForm
    extra = 0
    fields = ["kind", "details", "state", "owner", "due_date", "referred_to", "referent", "referred_at"]
    readonly_fields = ["referred_at"]
    verbose_name_plural = _("besoins (un par ligne, chacun avec son état, son responsable et son échéance)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "owner", "referred_to", "referent")

    def has_add_permission(self, request, obj=None):
        return self._writable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._writable(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        roles = {"referent": [Role.PARTNER], "owner": list(EDITOR_ROLES)}.get(db_field.name)
        if roles:
            users = User.objects.filter(memberships__role__in=roles)
            if not request.user.is_superuser:
                users = users.filter(memberships__territory_id__in=team_ids(request))
            field.queryset = users.distinct().order_by("last_name", "first_name", "email")
        return field


class TimelineInline(ScopedInlineMixin, admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = readonly_fields = ("created_at", "actor", "kind", "summary", "public")
    verbose_name_plural = _("historique (lecture seule)")
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class MessageHistoryInline(ScopedInlineMixin, admin.TabularInline):
    model = Message
    extra = 0
    fields = readonly_fields = ("created_at", "author", "from_applicant", "body")
    verbose_name_plural = _("messages échangés avec le demandeur")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class NewMessageForm(forms.ModelForm):
    class Meta:
        model = Message
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "cols": 80})}
        labels = {"body": _("Nouveau message au demandeur (il le verra et en sera averti)")}


class MessageAddInline(ScopedInlineMixin, admin.StackedInline):
    """One empty form: the message is posted through `services.message_post`."""

    model = Message
    form = NewMessageForm
    extra = 1
    max_num = 1
    verbose_name = _("nouveau message")
    verbose_name_plural = _("écrire au demandeur")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj=None):
        # Finished or unconfirmed cases receive no more messages (services.message_post).
        return self._writable(request, obj) and obj.status in (
            CaseStatus.SUBMITTED,
            CaseStatus.SUPPORTED,
            CaseStatus.WAITING_APPLICANT,
        )


class NoteHistoryInline(ScopedInlineMixin, admin.TabularInline):
    model = Note
    extra = 0
    fields = readonly_fields = ("created_at", "author", "need", "body")
    verbose_name_plural = _("notes internes (jamais montrées au demandeur)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "need")


class NewNoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 2, "cols": 80})}
        labels = {"body": _("Nouvelle note interne")}


class NoteAddInline(ScopedInlineMixin, admin.StackedInline):
    model = Note
    form = NewNoteForm
    extra = 1
    max_num = 1
    verbose_name = _("nouvelle note interne")
    verbose_name_plural = _("ajouter une note interne")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj=None):
        return self._writable(request, obj)


class DocumentInline(ScopedInlineMixin, admin.TabularInline):
    model = CaseDocument
    extra = 0
    fields = readonly_fields = ("created_at", "download", "content_type", "size", "from_applicant")
    verbose_name_plural = _("documents")

    @admin.display(description=_("fichier"))
    def download(self, obj):
        url = reverse("admin:installations_case_document", args=[obj.case_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class FollowUpInline(ScopedInlineMixin, admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = readonly_fields = ("years", "due_date", "done_at", "still_practising", "comment")
    verbose_name_plural = _("suivis après installation")


# --- the case -----------------------------------------------------------------------------------


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


class WorkflowForm(forms.Form):
    """The fields a workflow step asks for (built per step in CaseAdmin.workflow_view)."""

    def __init__(self, *args, step, case, **kwargs):
        super().__init__(*args, **kwargs)
        if step == "assign":
            self.fields["coordinator"] = forms.ModelChoiceField(
                label=_("Confier à"),
                queryset=User.objects.filter(
                    memberships__territory_id=case.territory_id, memberships__role__in=EDITOR_ROLES, is_active=True
                ).distinct(),
            )
        if step == "wait":
            self.fields["message"] = forms.CharField(
                label=_("Message au demandeur (facultatif)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
            )
        if step == "settle":
            self.fields["settlement_date"] = forms.DateField(
                label=_("Date d'installation"), widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields["settlement_commune"] = forms.ModelChoiceField(
                label=_("Commune d'installation"), queryset=case.territory.communes.order_by("name")
            )
        if step in ("close", "withdraw"):
            self.fields["reason"] = forms.CharField(
                label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), required=step == "close"
            )
        if step == "erase":
            self.fields["confirm"] = forms.BooleanField(
                label=_("Je confirme l'effacement définitif des données personnelles de cette demande.")
            )


WORKFLOW_STEPS = {
    "take_charge": _("Prendre en charge"),
    "assign": _("Confier à un coordinateur"),
    "wait": _("Mettre en attente du demandeur"),
    "settle": _("Enregistrer l'installation"),
    "close": _("Clore sans suite"),
    "withdraw": _("Enregistrer le retrait du demandeur"),
    "erase": _("Effacer les données personnelles"),
}


def _available_steps(case: Case) -> list[str]:
    if case.erased_at:
        return []
    allowed = services.ALLOWED_TRANSITIONS[case.status]
    steps = []
    if CaseStatus.SUPPORTED in allowed:
        steps.append("take_charge")
    steps.append("assign")
    if CaseStatus.WAITING_APPLICANT in allowed:
        steps.append("wait")
    if CaseStatus.SETTLED in allowed:
        steps.append("settle")
    if CaseStatus.CLOSED in allowed:
        steps.append("close")
    if CaseStatus.WITHDRAWN in allowed:
        steps.append("withdraw")
    steps.append("erase")
    return steps


# What the case list reads of each case (and of its coordinator).
LIST_COLUMNS = [
    "territory_id",
    "reference",
    "status",
    "profession",
    "applicant_first_name",
    "applicant_last_name",
    "applicant_email",
    "submitted_at",
    "last_contact_at",
    "awaiting_reply_since",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__email",
]

# Cells of the case list (CaseAdmin._rows).
CHECKBOX_CELL = (
    '<td class="action-checkbox"><input type="checkbox" name="_selected_action" value="{}" class="action-select"'
    ' aria-label="{} {}"></td>'
)
REFERENCE_CELL = '<th scope="row" class="field-reference"><a href="{}/{}/{}">{}</a></th>'


@admin.register(Case)
class CaseAdmin(TerritoryScopedAdmin):
    partner_can_view = True
    form = CaseAdminForm
    # The case list is a page of its own (changelist_view): Django's generic change list cost about
    # 50 ms of CPU per view, and coordinators reload this list all day (issue 3's load target).
    list_per_page = 25
    ordering = ["-submitted_at", "-id"]
    export_fields = (
        "reference",
        "status",
        "submitted_at",
        "applicant_last_name",
        "applicant_first_name",
        "applicant_email",
        "profession",
        "specialty",
        "assigned_to",
        "last_contact_at",
        "settlement_date",
        "settlement_commune",
    )
    change_form_template = "admin/installations/case/change_form.html"
    change_list_template = "admin/installations/case/change_list.html"

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

    class Media:
        css = ADMIN_CSS

    # --- scope: the team sees its territories' cases, a partner only the cases of needs referred to them
    def scope_queryset(self, queryset, request):
        team, partner_only = team_ids(request), partner_ids(request) - team_ids(request)
        if not partner_only:
            # The everyday case: a plain territory filter, which the list's composite indexes serve.
            return queryset.filter(territory_id__in=team)
        referred = Need.objects.filter(referent=request.user, territory_id__in=partner_only).values("case_id")
        if not team:
            return queryset.filter(territory_id__in=partner_only, pk__in=referred)
        return queryset.filter(Q(territory_id__in=team) | Q(pk__in=referred))

    def get_queryset(self, request):
        return selectors.annotate_case_list(super().get_queryset(request))

    def _is_team_user(self, request):
        return request.user.is_superuser or bool(team_ids(request))

    def get_actions(self, request):
        if not self._is_team_user(request):
            return {}
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        actions["assign_to_me"] = (
            CaseAdmin.assign_to_me,
            "assign_to_me",
            _("Me confier les demandes sélectionnées"),
        )
        # One "confide to" action per active colleague (a superuser, who sees every territory, has
        # the workflow's "assign" step instead of hundreds of actions).
        members = [] if request.user.is_superuser else self._team_members(request)
        for membership in members:
            if not membership.user.is_active:
                continue
            user = membership.user
            name = f"assign_to_{user.pk}"
            if name not in actions and user.pk != request.user.pk:
                actions[name] = (
                    self._assign_action(user),
                    name,
                    _("Confier à %(name)s (%(territory)s)") % {"name": user, "territory": membership.territory},
                )
        return actions

    @staticmethod
    def _team_members(request):
        """The team memberships of the user's territories (read once per request: the filters and
        the actions both list the team)."""
        return _per_request(request, "team", lambda: list(selectors.team_memberships(request.user)))

    @staticmethod
    def _assign_action(coordinator):
        def action(modeladmin, request, queryset):
            modeladmin.bulk_assign(request, queryset, coordinator)

        return action

    def assign_to_me(self, request, queryset):
        self.bulk_assign(request, queryset, request.user)

    def bulk_assign(self, request, queryset, coordinator):
        done, refused = 0, []
        for case in queryset.select_related("territory").order_by("pk"):
            try:
                services.case_assign(actor=request.user, case=case, coordinator=coordinator)
                done += 1
            except (ValidationError, PermissionDenied):
                refused.append(case.reference)
        if done:
            self.message_user(
                request,
                ngettext("%(count)s demande confiée à %(name)s.", "%(count)s demandes confiées à %(name)s.", done)
                % {"count": done, "name": coordinator},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("%(name)s ne fait pas partie de l'équipe du territoire de : %(refs)s.")
                % {"name": coordinator, "refs": ", ".join(refused)},
                messages.WARNING,
            )

    # --- columns
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

    # --- pages
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

    def has_add_permission(self, request):
        # Cases come from the applicants' form (services.case_submit).
        return False

    def has_delete_permission(self, request, obj=None):
        # Erasure (anonymisation, keeping the statistics) replaces deletion.
        return False

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
                services.case_link_aid(actor=request.user, case=case, aid=aid)
            if current_aids - wanted_aids:
                case.aids.remove(*(current_aids - wanted_aids))
            wanted_opps = set(form.cleaned_data.get("opportunities") or [])
            current_opps = set(case.opportunities.all())
            for opportunity in wanted_opps - current_opps:
                services.case_link_opportunity(actor=request.user, case=case, opportunity=opportunity)
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
                    services.message_post(actor=request.user, case=case, body=body)
        elif model is Note and isinstance(formset.form(), NewNoteForm):
            for note_form in formset.forms:
                body = (getattr(note_form, "cleaned_data", {}) or {}).get("body")
                if body:
                    services.note_add(actor=request.user, case=case, body=body)
        # The read-only inlines write nothing.

    def _save_need(self, request, case, need_form):
        data = need_form.cleaned_data
        if need_form.instance.pk is None:
            need = services.need_add(actor=request.user, case=case, kind=data["kind"], details=data.get("details", ""))
        else:
            # The form has already copied its values on its instance: read the stored need again.
            need = Need.objects.select_related("territory", "case").get(pk=need_form.instance.pk, case=case)
        services.need_update(
            actor=request.user,
            need=need,
            state=data.get("state") or need.state,
            owner=data.get("owner"),
            due_date=data.get("due_date"),
            details=data.get("details", ""),
        )
        referent, organisation = data.get("referent"), data.get("referred_to")
        if referent and organisation and (referent.pk != need.referent_id or organisation.pk != need.referred_to_id):
            services.need_refer(actor=request.user, need=need, organisation=organisation, referent=referent)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and is_team_for(request, obj.territory_id):
            context["workflow_steps"] = [
                (step, WORKFLOW_STEPS[step], reverse("admin:installations_case_workflow", args=[obj.pk, step]))
                for step in _available_steps(obj)
            ]
            if not obj.erased_at:
                context["personal_data_url"] = reverse("admin:installations_case_personal_data", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- extra pages
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="installations_dashboard"),
            path("export/", wrap(self.export_view), name="installations_case_export"),
            path(
                "<path:object_id>/workflow/<str:step>/",
                wrap(self.workflow_view),
                name="installations_case_workflow",
            ),
            path(
                "<path:object_id>/personal-data.json",
                wrap(self.personal_data_view),
                name="installations_case_personal_data",
            ),
            path(
                "<path:object_id>/documents/<int:document_pk>/",
                wrap(self.document_view),
                name="installations_case_document",
            ),
            *super().get_urls(),
        ]

    def _team_case(self, request, object_id) -> Case:
        case = self.get_object(request, object_id)
        if not is_team_for(request, case.territory_id):
            raise Http404(_("Cet élément n'existe pas."))
        return case

    def workflow_view(self, request, object_id, step):
        if step not in WORKFLOW_STEPS:
            raise Http404
        case = self._team_case(request, object_id)
        form = WorkflowForm(request.POST if request.method == "POST" else None, step=step, case=case)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            calls = {
                "take_charge": lambda: services.case_take_charge(actor=request.user, case=case),
                "assign": lambda: services.case_assign(actor=request.user, case=case, coordinator=data["coordinator"]),
                "wait": lambda: services.case_wait_for_applicant(
                    actor=request.user, case=case, message=data.get("message", "")
                ),
                "settle": lambda: services.case_settle(
                    actor=request.user,
                    case=case,
                    settlement_date=data["settlement_date"],
                    commune=data["settlement_commune"],
                ),
                "close": lambda: services.case_close(actor=request.user, case=case, reason=data.get("reason", "")),
                "withdraw": lambda: services.case_withdraw(
                    actor=request.user, case=case, reason=data.get("reason", "")
                ),
                "erase": lambda: services.case_erase_personal_data(actor=request.user, case=case),
            }
            try:
                calls[step]()
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    _("%(step)s : fait pour la demande %(reference)s.")
                    % {"step": WORKFLOW_STEPS[step], "reference": case.reference},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:installations_case_change", args=[case.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{WORKFLOW_STEPS[step]} — {case.reference}",
            "case": case,
            "form": form,
            "step": step,
        }
        return TemplateResponse(
            request, "admin/installations/case/workflow.html", context, status=400 if form.errors else 200
        )

    def personal_data_view(self, request, object_id):
        """The applicant's data as JSON, for a request made to the team (right of access)."""
        case = self._team_case(request, object_id)
        data = services.case_export_personal_data(actor=request.user, case=case)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="donnees-{case.reference}.json"'
        return response

    def document_view(self, request, object_id, document_pk):
        case = self._team_case(request, object_id)
        document = get_object_or_404(
            CaseDocument.objects.filter(case=case, territory_id=case.territory_id), pk=document_pk
        )
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )

    def export_rows(self, queryset):
        headers = [
            _("référence"),
            _("statut"),
            _("déposée le"),
            _("nom"),
            _("prénom"),
            _("e-mail"),
            _("profession"),
            _("spécialité"),
            _("communes envisagées"),
            _("besoins"),
            _("coordinateur en charge"),
            _("dernier contact (jours)"),
            _("sans réponse"),
            _("date d'installation"),
            _("commune d'installation"),
        ]
        yield [str(h) for h in headers]
        queryset = queryset.select_related("assigned_to", "settlement_commune").prefetch_related(
            "target_communes", "needs"
        )
        now = timezone.now()
        for case in queryset.iterator(chunk_size=500):
            reference = getattr(case, "contact_reference", None) or case.last_contact_at or case.submitted_at
            yield [
                case.reference,
                case.get_status_display(),
                timezone.localtime(case.submitted_at).strftime("%d/%m/%Y %H:%M"),
                case.applicant_last_name,
                case.applicant_first_name,
                case.applicant_email,
                case.get_profession_display(),
                case.specialty,
                ", ".join(c.name for c in case.target_communes.all()),
                ", ".join(str(n.get_kind_display()) for n in case.needs.all()),
                str(case.assigned_to or ""),
                str(selectors.days_since(reference, now=now)),
                _("oui") if getattr(case, "no_answer", False) else _("non"),
                case.settlement_date.strftime("%d/%m/%Y") if case.settlement_date else "",
                case.settlement_commune.name if case.settlement_commune_id else "",
            ]

    def case_filterset(self, request) -> CaseListFilter:
        """The list's filters over the cases the user may see (also what the export reads)."""
        team = self._is_team_user(request)
        return CaseListFilter(
            request.GET,
            self.get_queryset(request),
            request=request,
            team=team,
            communes=selectors.team_communes(request.user).values_list("pk", "name") if team else (),
            coordinators=selectors.distinct_people(m.user for m in self._team_members(request)) if team else (),
        )

    def export_view(self, request):
        """The CSV of exactly the list on screen: same filters, search and order, every page."""
        if not self._is_team_user(request):
            raise PermissionDenied
        writer = csv.writer(_Echo(), delimiter=";")
        rows = (writer.writerow(row) for row in self.export_rows(self.case_filterset(request).qs))
        response = StreamingHttpResponse(_with_bom(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="demandes-{timezone.localdate():%Y-%m-%d}.csv"'
        return response

    def changelist_view(self, request, extra_context=None):
        """The coordinator's case list: status tabs with their counts, filters, search, sortable
        columns, 25 rows a page with the days since the last contact, bulk actions and the export
        of the filtered list. A page of its own rather than Django's change list, whose generic
        machinery cost about 50 ms of CPU per view (benchmarks/RESULTS-installations.md)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        team = self._is_team_user(request)
        page_key = self._page_cache_key(request, team)
        if page_key is not None and (html := list_cache.get(page_key)) is not None:
            return HttpResponse(html)
        filterset = self.case_filterset(request)
        if request.method == "POST":
            if not team:
                raise PermissionDenied
            if not all(value.isdigit() for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
                self.message_user(
                    request, _("La sélection reçue n'est pas valide : cochez à nouveau les demandes."), messages.ERROR
                )
                return HttpResponseRedirect(request.get_full_path())
            # Django's own action handling: the selected rows, among those the user may see.
            return self.response_action(request, filterset.qs) or HttpResponseRedirect(request.get_full_path())
        counts = self._status_counts(request)
        listed = filterset.qs.select_related("assigned_to").only(*LIST_COLUMNS)
        paginator = Paginator(listed, self.list_per_page)
        filtered_on = {name for name, value in filterset.form.cleaned_data.items() if value} - {"status", "o"}
        if not filtered_on and not filterset.form.errors:
            # A status tab (or none): its size is already known, no need to count the cases again.
            status = filterset.form.cleaned_data.get("status")
            statuses = OPEN_STATUSES if status == OPEN else [status] if status else CaseStatus.values
            paginator.count = sum(counts[value] for value in statuses)
        page = paginator.get_page(request.GET.get("page"))
        cases = selectors.describe_case_rows(list(page.object_list))
        action_choices = self.get_action_choices(request, [("", _("Choisissez une action"))]) if team else []
        query = request.GET.urlencode()
        context = {
            # The list is a wide table a coordinator works in all day: no navigation sidebar (it
            # listed every model, about 7 ms per view); the breadcrumbs lead back to the admin.
            **admin_context_without_sidebar(self.admin_site, request),
            **(extra_context or {}),
            "opts": self.model._meta,
            "title": _("Demandes d'accompagnement"),
            "team": team,
            "filterset": filterset,
            "filter_fields": [field for field in filterset.form if field.name not in ("status", "o", "q")],
            "status_tabs": self._status_tabs(counts, filterset),
            "columns": self._columns(filterset, team),
            "page": page,
            "cases": cases,
            "rows": self._rows(cases, team=team, selectable=bool(action_choices)),
            "action_choices": action_choices,
            "export_url": reverse("admin:installations_case_export") + (f"?{query}" if query else ""),
            "dashboard_url": reverse("admin:installations_dashboard"),
        }
        response = TemplateResponse(request, "admin/installations/case/change_list.html", context)
        if page_key is not None:
            response.add_post_render_callback(
                lambda done: list_cache.store(page_key, done.content, list_cache.PAGE_TIMEOUT)
            )
        return response

    def _page_cache_key(self, request, team):
        """Where this view of the list is kept (list_cache), or None when it must be rendered: only
        the team's everyday list is kept, never a page showing a message (it is shown once)."""
        user = request.user
        if request.method != "GET" or not team or user.is_superuser or partner_ids(request) - team_ids(request):
            return None
        # The page carries a CSRF token made from the browser's CSRF secret (a cookie once a page
        # with a form has been shown).
        csrf_secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if not (request.session.session_key and csrf_secret) or len(messages.get_messages(request)):
            return None
        return list_cache.page_key(
            session_key=f"{request.session.session_key}|{csrf_secret}",
            territory_versions=list_cache.versions(team_ids(request)),
            language=get_language(),
            day=timezone.localdate(),
            query=request.GET.urlencode(),
        )

    @staticmethod
    def _rows(cases, *, team, selectable):
        """The table's rows, written in one pass: this list is reloaded all day, and through the
        template engine (a dozen variables, a date and a translated choice per row) the 25 rows
        took a third of the page's time. Labels come from a dict (a model's get_FOO_display()
        translates every choice of the field at each call)."""
        professions, statuses = dict(Profession.choices), dict(CaseStatus.choices)
        waiting = {"applicant": _("demandeur"), "team": _("équipe"), "partner": _("partenaire"), "": "—"}
        late = _("Sans réponse depuis plus de %(days)s jours") % {"days": services.no_answer_days()}
        tick, today = _("Cocher"), _("aujourd'hui")
        # One reversal: the rows' URLs differ only by the primary key.
        before, after = reverse("admin:installations_case_change", args=[0]).rsplit("/0/", 1)
        rows = []
        for case in cases:
            cells = []
            if selectable:
                cells.append(format_html(CHECKBOX_CELL, case.pk, tick, case.reference))
            cells.append(format_html(REFERENCE_CELL, before, case.pk, after, case.reference))
            if team:
                cells.append(format_html("<td>{}</td>", case.applicant_name))
            cells.append(
                format_html(
                    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                    professions.get(case.profession, case.profession),
                    statuses.get(case.status, case.status),
                    case.assigned_to or "—",
                    timezone.localtime(case.submitted_at).strftime("%d/%m/%Y"),
                )
            )
            if team:
                days = case.days_since_contact
                contact = (
                    ngettext("il y a %(days)s jour", "il y a %(days)s jours", days) % {"days": days} if days else today
                )
                if case.no_answer:
                    contact = format_html('<span class="inst-no-answer" title="{}">{}</span>', late, contact)
                cells.append(format_html("<td>{}</td><td>{}</td>", contact, waiting[case.waiting_on]))
            rows.append(format_html("<tr>{}</tr>", mark_safe("".join(cells))))  # noqa: S308 (cells are format_html)
        return rows

    def _status_counts(self, request):
        """Cases per status in the list's scope: cached per territory for the team's everyday list."""
        if request.user.is_superuser:
            return selectors.territory_status_counts(Territory.objects.values_list("pk", flat=True))
        if partner_ids(request) - team_ids(request):
            return selectors.status_counts(self.get_queryset(request))
        return selectors.territory_status_counts(team_ids(request))

    @staticmethod
    def _status_tabs(counts, filterset):
        current = filterset.form.cleaned_data.get("status") or ""
        tabs = [("", _("Toutes"), sum(counts.values())), (OPEN, _("À traiter"), sum(counts[s] for s in OPEN_STATUSES))]
        tabs += [(value, label, counts[value]) for value, label in CaseStatus.choices]
        return [{"value": value, "label": label, "count": n, "current": value == current} for value, label, n in tabs]

    @staticmethod
    def _columns(filterset, team):
        """The table's headers: label, the `o` value a click asks for, and the current sort."""
        ordering = (filterset.form.cleaned_data.get("o") or [""])[0]
        columns = [
            ("reference", _("Référence")),
            ("applicant", _("Demandeur")) if team else None,
            ("profession", _("Profession")),
            ("status", _("Statut")),
            ("assigned", _("Coordinateur en charge")),
            ("submitted", _("Déposée le")),
            ("contact", _("Dernier contact")) if team else None,
            (None, _("En attente de")) if team else None,
        ]
        headers = []
        for key, label in filter(None, columns):
            sort = None
            if key is not None and ordering.lstrip("-") == key:
                sort = "descending" if ordering.startswith("-") else "ascending"
            elif key == "submitted" and not ordering:
                sort = "descending"
            headers.append(
                {"label": label, "key": key, "sort": sort, "next": f"-{key}" if sort == "ascending" else key}
            )
        return headers

    def dashboard_view(self, request):
        ids = team_ids(request)
        territories = Territory.objects.all() if request.user.is_superuser else Territory.objects.filter(pk__in=ids)
        territories = list(territories.order_by("name"))
        if not territories:
            raise PermissionDenied
        chosen = request.GET.get("territory", "")
        territory = next((t for t in territories if str(t.pk) == chosen), territories[0])
        year = request.GET.get("year", "")
        start = end = None
        if year.isdigit() and 2000 <= int(year) <= 2100:
            start, end = datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
        figures = selectors.dashboard_figures(territory=territory, start=start, end=end)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Tableau de bord de l'accompagnement — %(territory)s") % {"territory": territory.name},
            "territory": territory,
            "territories": territories,
            "year": year,
            "figures": figures,
            "status_rows": [(CaseStatus(s).label, n) for s, n in figures.status_counts.items()],
            "profession_rows": selectors.labelled(figures.by_profession, Profession.choices),
            "need_rows": selectors.labelled(figures.by_need, NeedKind.choices),
            "month_rows": [(month.strftime("%m/%Y"), n) for month, n in figures.per_month],
            "chart": selectors.requests_chart(figures),
        }
        return TemplateResponse(request, "admin/installations/dashboard.html", context)


# --- needs (the partner referents' entry point) -------------------------------------------------


class NeedAdminForm(forms.ModelForm):
    note = forms.CharField(
        label=_("Ajouter une note (interne, jamais montrée au demandeur)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = Need
        fields = ["state", "details", "owner", "due_date"]


@admin.register(Need)
class NeedAdmin(TerritoryScopedAdmin):
    """The team sees every need of its territories; a partner referent only the needs referred to
    them, where they may change the state and add a note."""

    partner_can_view = True
    form = NeedAdminForm
    list_display = ["case_reference", "kind", "state", "referred_to", "referred_at", "due_date"]
    list_filter = ["state", "kind"]
    list_select_related = ["case", "referred_to"]
    search_fields = ["case__reference"]
    ordering = ["-referred_at", "-id"]
    actions = []

    class Media:
        css = ADMIN_CSS

    def scope_queryset(self, queryset, request):
        team, partner_only = team_ids(request), partner_ids(request) - team_ids(request)
        if not partner_only:
            return queryset.filter(territory_id__in=team)
        return queryset.filter(Q(territory_id__in=team) | Q(territory_id__in=partner_only, referent=request.user))

    def _is_referent(self, request, obj):
        return obj is not None and obj.referent_id == request.user.pk and obj.territory_id in partner_ids(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._is_referent(request, obj):
            return True
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("demande"), ordering="case__reference")
    def case_reference(self, obj):
        return obj.case.reference

    @admin.display(description=_("demande"))
    def case_summary(self, obj):
        case = obj.case
        return format_html(
            "{} — {} {}<br>{}",
            case.reference,
            case.get_profession_display(),
            case.specialty,
            _("Coordinateur : %(name)s") % {"name": case.assigned_to or "—"},
        )

    @admin.display(description=_("notes sur ce besoin"))
    def notes_column(self, obj):
        notes = obj.notes.select_related("author")
        return (
            format_html_join(
                "",
                "<p><strong>{}</strong> ({}) : {}</p>",
                ((str(n.author or "—"), n.created_at.strftime("%d/%m/%Y"), n.body) for n in notes),
            )
            or "—"
        )

    def get_fields(self, request, obj=None):
        if obj is not None and not is_team_for(request, obj.territory_id):
            return ["case_summary", "kind", "details", "state", "due_date", "referred_at", "notes_column", "note"]
        return [
            "case_summary",
            "kind",
            "details",
            "state",
            "owner",
            "due_date",
            "referred_to",
            "referent",
            "referred_at",
            "notes_column",
            "note",
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["case_summary", "kind", "referred_to", "referent", "referred_at", "notes_column"]
        if obj is not None and not is_team_for(request, obj.territory_id):
            readonly += ["details", "due_date"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "owner" in form.base_fields:
            form.base_fields["owner"].queryset = User.objects.filter(
                memberships__territory_id=obj.territory_id if obj else None, memberships__role__in=EDITOR_ROLES
            ).distinct()
        return form

    def save_model(self, request, obj, form, change):
        need = Need.objects.select_related("territory", "case").get(pk=obj.pk)
        data = form.cleaned_data
        kwargs = {"state": data["state"]}
        if is_team_for(request, need.territory_id):
            kwargs.update(owner=data.get("owner"), due_date=data.get("due_date"), details=data.get("details", ""))
        try:
            services.need_update(actor=request.user, need=need, **kwargs)
            if data.get("note"):
                services.note_add(actor=request.user, case=need.case, need=need, body=data["note"])
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error

    def save_related(self, request, form, formsets, change):
        pass


# --- follow-ups ---------------------------------------------------------------------------------


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["still_practising", "comment"]


@admin.register(FollowUp)
class FollowUpAdmin(TerritoryScopedAdmin):
    form = FollowUpForm
    list_display = ["case", "years", "due_date", "done_at", "still_practising"]
    list_filter = ["years", "still_practising"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]
    ordering = ["done_at", "due_date"]
    readonly_fields = ["case", "years", "due_date", "reminded_at", "done_at", "done_by"]
    fields = ["case", "years", "due_date", "reminded_at", "done_at", "done_by", "still_practising", "comment"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        follow_up = FollowUp.objects.select_related("territory", "case").get(pk=obj.pk)
        services.follow_up_record(
            actor=request.user,
            follow_up=follow_up,
            still_practising=form.cleaned_data.get("still_practising"),
            comment=form.cleaned_data.get("comment", ""),
        )


# --- catalogues ---------------------------------------------------------------------------------


class AidForm(forms.ModelForm):
    professions = profession_field(_("professions concernées"))
    link = forms.URLField(label=_("lien"), required=False, assume_scheme="https")

    class Meta:
        model = Aid
        fields = [
            "territory",
            "name",
            "funder",
            "amount",
            "amount_note",
            "conditions",
            "professions",
            "zoning",
            "communes",
            "link",
            "active",
        ]


@admin.register(Aid)
class AidAdmin(TerritoryScopedAdmin):
    form = AidForm
    list_display = ["name", "funder", "amount", "zoning", "active"]
    list_filter = ["funder", "zoning", "active"]
    search_fields = ["name", "conditions"]
    filter_horizontal = ["communes"]
    ordering = ["name"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "communes":
            kwargs["queryset"] = selectors.team_communes(request.user)
            return super(TerritoryScopedAdmin, self).formfield_for_manytomany(db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OpportunityForm(forms.ModelForm):
    professions = profession_field(_("professions recherchées"))
    link = forms.URLField(label=_("lien"), required=False, assume_scheme="https")

    class Meta:
        model = Opportunity
        fields = [
            "territory",
            "kind",
            "title",
            "commune",
            "organisation",
            "description",
            "professions",
            "contact_name",
            "contact_email",
            "contact_phone",
            "link",
            "published",
            "available_from",
            "expires_on",
        ]


@admin.register(Opportunity)
class OpportunityAdmin(TerritoryScopedAdmin):
    form = OpportunityForm
    list_display = ["title", "kind", "commune", "published", "published_at", "expires_on"]
    list_filter = ["kind", "published"]
    list_select_related = ["commune"]
    search_fields = ["title", "description"]
    ordering = ["-published_at", "-id"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commune":
            kwargs["queryset"] = selectors.team_communes(request.user)
            return super(TerritoryScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Publication date: set when first published.
        if obj.published and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)
