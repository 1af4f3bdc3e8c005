"""Host sites with their supervisors and capacities."""

from __future__ import annotations

from django.contrib import admin

from portal.tenancy.admin import TerritoryScopedAdmin, TerritoryScopedInline
from training.models import HostingCapacity, HostSite, Supervisor


class SupervisorInline(TerritoryScopedInline, admin.TabularInline):
    model = Supervisor
    fields = ("first_name", "last_name", "email", "user", "faculty", "accredited_on", "accredited_until")
    related_popups = False


class CapacityInline(TerritoryScopedInline, admin.TabularInline):
    model = HostingCapacity
    fields = ("level", "specialty", "places_per_semester")


@admin.register(HostSite)
class HostSiteAdmin(TerritoryScopedAdmin):
    list_display = ("name", "kind", "commune", "organisation", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "commune__name")
    list_select_related = ("commune", "organisation")
    autocomplete_fields = ("commune",)
    filter_horizontal = ("managers",)
    inlines = [SupervisorInline, CapacityInline]
    export_fields = ("name", "kind", "commune", "organisation", "address", "active")


@admin.register(Supervisor)
class SupervisorAdmin(TerritoryScopedAdmin):
    list_display = ("__str__", "host_site", "faculty", "accredited_on", "accredited_until")
    list_filter = ("host_site", "faculty")
    search_fields = ("last_name", "first_name", "host_site__name")
    list_select_related = ("host_site", "faculty")
    export_fields = ("last_name", "first_name", "email", "host_site", "faculty", "accredited_on", "accredited_until")
