"""The needs in the admin: the team's list of every need, and the partner referents' own pages
(installations/admin/referrals.py) where Django's need pages led them before."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from installations.admin.common import ADMIN_CSS, is_team_for, partner_ids, team_ids
from installations.admin.referrals import ReferralsMixin
from installations.models import Need
from installations.services.exchanges import note_add
from installations.services.needs import need_update
from installations.services.versions import last_case_change
from portal.concurrency import VersionedModelForm
from portal.enums import EDITOR_ROLES
from portal.models import User
from portal.tenancy.admin import TerritoryScopedAdmin


class NeedAdminForm(VersionedModelForm):
    note = forms.CharField(
        label=_("Ajouter une note (interne, jamais montrée au demandeur)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    version_what = _("Ce besoin")

    class Meta:
        model = Need
        fields = ["state", "details", "owner", "due_date"]

    def last_change(self, instance, since):
        return last_case_change(instance.case, since, need=instance)


@admin.register(Need)
class NeedAdmin(ReferralsMixin, TerritoryScopedAdmin):
    """The team sees every need of its territories; a partner referent only the needs referred to
    them, on their referrals page."""

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

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("orientations/", wrap(self.referrals_view), name="installations_referrals"),
            path("orientations/<int:pk>/", wrap(self.referral_view), name="installations_referral"),
            *super().get_urls(),
        ]

    def _partner_only(self, request):
        return not request.user.is_superuser and not team_ids(request) and bool(partner_ids(request))

    def changelist_view(self, request, extra_context=None):
        if self._partner_only(request):
            return HttpResponseRedirect(reverse("admin:installations_referrals"))
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self._partner_only(request) and str(object_id).isdigit():
            return HttpResponseRedirect(reverse("admin:installations_referral", args=[object_id]))
        return super().change_view(request, object_id, form_url, extra_context)

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
            return [
                "case_summary",
                "kind",
                "details",
                "state",
                "due_date",
                "referred_at",
                "notes_column",
                "note",
                "version",
            ]
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
            "version",
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
            need_update(actor=request.user, need=need, **kwargs)
            if data.get("note"):
                note_add(actor=request.user, case=need.case, need=need, body=data["note"])
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error

    def save_related(self, request, form, formsets, change):
        pass
