from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.enums import EDITOR_ROLES
from portal.models import Commune, CommuneZoning, Membership, Organisation, ProfessionalProfile, Territory, User
from portal.tenancy.access import territory_ids_for
from portal.tenancy.admin import TerritoryScopedAdmin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts span territories: only superusers manage them."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Territory)
class TerritoryAdmin(TerritoryScopedAdmin):
    """A coordinator edits the presentation and branding of their own territories; only a
    superuser creates or deletes a territory."""

    list_display = ["name", "kind", "region", "contact_email", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["communes"]

    def territory_id_of(self, obj):
        return obj.pk

    def scope_queryset(self, queryset, request):
        return queryset.filter(pk__in=territory_ids_for(request.user, roles=EDITOR_ROLES))

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        # A domain opens a host name to the whole portal: the superuser sets it.
        return ["slug", "kind", "siren", "is_active", "communes", "domain"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class CommuneZoningInline(admin.TabularInline):
    """A commune's zone in each profession's ARS zoning (import_ars_zoning --profession fills them)."""

    model = CommuneZoning
    extra = 0
    fields = ["profession", "zone", "decree_date"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    """Public reference data: staff read it (and search it in autocompletes); superusers edit."""

    list_display = ["name", "insee_code", "departement", "population"]
    list_filter = ["departement"]
    inlines = [CommuneZoningInline]
    search_fields = ["name", "insee_code", "postcodes"]
    show_full_result_count = False

    def has_module_permission(self, request):
        return request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Organisation)
class OrganisationAdmin(TerritoryScopedAdmin):
    partner_can_view = True
    list_display = ["name", "kind", "commune", "territory"]
    list_filter = ["kind", "territory"]
    search_fields = ["name", "finess", "siret"]
    autocomplete_fields = ["commune"]
    list_select_related = ["commune", "territory"]
    export_fields = ("name", "kind", "finess", "siret", "commune", "address", "email", "phone", "territory")


@admin.register(Membership)
class MembershipAdmin(TerritoryScopedAdmin):
    list_display = ["user", "role", "organisation", "territory", "created_at"]
    list_filter = ["role", "territory"]
    search_fields = ["user__email", "user__last_name"]
    list_select_related = ["user", "territory", "organisation"]
    export_fields = ("user", "role", "organisation", "territory", "created_at")


@admin.register(ProfessionalProfile)
class ProfessionalProfileAdmin(admin.ModelAdmin):
    """Profiles belong to their owner; only superusers see them here."""

    list_display = ["user", "profession", "specialty", "practice_mode"]
    search_fields = ["user__email", "rpps"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
