"""The service sanitaire (students, teams, sites, interventions) and the health ambassadors."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.tenancy.admin import TerritoryScopedAdmin, TerritoryScopedInline
from prevention.admin.common import communes_of, themes_field
from prevention.models import Ambassador, HealthStudent, Intervention, InterventionSite, StudentTeam


class _CommuneChoices:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commune":
            kwargs["queryset"] = communes_of(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SiteAdminForm(forms.ModelForm):
    themes = themes_field(_("thèmes souhaités"))

    class Meta:
        model = InterventionSite
        fields = ["territory", "name", "kind", "commune", "organisation", "contact", "can_host", "max_teams", "themes"]


@admin.register(InterventionSite)
class InterventionSiteAdmin(_CommuneChoices, TerritoryScopedAdmin):
    form = SiteAdminForm
    list_display = ["name", "kind", "commune", "can_host", "max_teams"]
    list_filter = ["kind", "can_host"]
    search_fields = ["name", "contact"]
    list_select_related = ["commune"]
    export_fields = ("name", "kind", "commune", "organisation", "contact", "can_host", "max_teams")


class StudentInline(TerritoryScopedInline, admin.TabularInline):
    model = HealthStudent
    fields = ["last_name", "first_name", "programme", "school", "email", "academic_year"]


class InterventionInline(TerritoryScopedInline, admin.TabularInline):
    model = Intervention
    fields = ["site", "theme", "starts_on", "ends_on", "status", "people_reached"]


@admin.register(StudentTeam)
class StudentTeamAdmin(TerritoryScopedAdmin):
    access_logged = True
    list_display = ["name", "academic_year", "referent"]
    list_filter = ["academic_year"]
    search_fields = ["name", "referent"]
    inlines = [StudentInline, InterventionInline]


@admin.register(HealthStudent)
class HealthStudentAdmin(TerritoryScopedAdmin):
    access_logged = True
    list_display = ["last_name", "first_name", "programme", "school", "team", "academic_year"]
    list_filter = ["academic_year", "programme"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["school", "team"]
    export_fields = ("academic_year", "last_name", "first_name", "email", "programme", "school", "team")


@admin.register(Intervention)
class InterventionAdmin(TerritoryScopedAdmin):
    list_display = ["team", "site", "commune", "theme", "starts_on", "ends_on", "status"]
    list_filter = ["status", "theme", "team__academic_year"]
    search_fields = ["team__name", "site__name"]
    list_select_related = ["team", "site__commune"]
    date_hierarchy = "starts_on"
    export_fields = ("team", "site", "theme", "starts_on", "ends_on", "status", "people_reached")

    @admin.display(description=_("commune"), ordering="site__commune__name")
    def commune(self, obj):
        return obj.site.commune.name


class AmbassadorAdminForm(forms.ModelForm):
    themes = themes_field(_("thèmes relayés"))

    class Meta:
        model = Ambassador
        fields = [
            "territory",
            "first_name",
            "last_name",
            "email",
            "phone",
            "commune",
            "themes",
            "relays",
            "trained_on",
            "active",
            "left_on",
        ]


@admin.register(Ambassador)
class AmbassadorAdmin(_CommuneChoices, TerritoryScopedAdmin):
    access_logged = True
    form = AmbassadorAdminForm
    list_display = ["__str__", "commune", "themes_display", "relays", "active"]
    list_filter = ["active"]
    search_fields = ["last_name", "first_name", "relays"]
    list_select_related = ["commune"]
    export_fields = ("last_name", "first_name", "email", "phone", "commune", "relays", "trained_on", "active")

    @admin.display(description=_("thèmes relayés"))
    def themes_display(self, obj):
        return ", ".join(obj.themes_display)
