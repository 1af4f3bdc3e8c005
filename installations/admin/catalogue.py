"""The follow-ups after settlement, and the territory's catalogues of aids and opportunities."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from installations import selectors
from installations.admin.common import profession_field
from installations.figures import due_follow_ups
from installations.models import Aid, FollowUp, Opportunity
from installations.services.lifecycle import follow_up_record
from portal.enums import ArsZone
from portal.tenancy.admin import TerritoryScopedAdmin


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["still_practising", "comment"]


class FollowUpStateFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("due", _("à faire (échéance passée)")), ("coming", _("à venir")), ("done", _("faits"))]

    def queryset(self, request, queryset):
        due = due_follow_ups(queryset)
        if self.value() == "due":
            return due
        if self.value() == "coming":
            return queryset.filter(done_at__isnull=True).exclude(pk__in=due.values("pk"))
        if self.value() == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


@admin.register(FollowUp)
class FollowUpAdmin(TerritoryScopedAdmin):
    form = FollowUpForm
    list_display = ["case", "years", "due_date", "done_at", "still_practising"]
    list_filter = [FollowUpStateFilter, "years", "still_practising"]
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
        follow_up_record(
            actor=request.user,
            follow_up=follow_up,
            still_practising=form.cleaned_data.get("still_practising"),
            comment=form.cleaned_data.get("comment", ""),
        )


# --- catalogues ---------------------------------------------------------------------------------


class AidForm(forms.ModelForm):
    professions = profession_field(_("professions concernées"))
    zones = forms.MultipleChoiceField(
        label=_("zones ARS concernées"),
        choices=ArsZone.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Chaque profession a son propre zonage (ZIP et ZAC pour les médecins, « très sous-dotée »… pour les "
            "autres) : l'aide s'applique si la commune est classée dans l'une de ces zones pour la profession du "
            "demandeur. Aucune case cochée : sans condition de zonage."
        ),
    )
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
            "zones",
            "communes",
            "link",
            "active",
        ]


@admin.register(Aid)
class AidAdmin(TerritoryScopedAdmin):
    form = AidForm
    list_display = ["name", "funder", "amount", "zoning", "active"]
    list_filter = ["funder", "active"]
    search_fields = ["name", "conditions"]
    filter_horizontal = ["communes"]
    ordering = ["name"]

    @admin.display(description=_("zonage"))
    def zoning(self, obj):
        return obj.zones_display()

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
