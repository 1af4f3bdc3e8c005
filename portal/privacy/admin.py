"""The territory's manager edits its legal pages and reads the log of staff reads of personal data.
Coordinators see neither: the log watches them, and the legal pages engage the territory."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.cache import cache
from django.forms import Form
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.privacy.models import AccessLog, LegalNotice
from portal.privacy.selectors import accessibility_status_cache_key
from portal.tenancy.admin import ReadOnlyAdminMixin, TerritoryScopedAdmin

MANAGER_ONLY = (Role.MANAGER,)


class ManagerOnlyAdmin(TerritoryScopedAdmin):
    actions = []  # no bulk action: the log is read-only, one notice per territory
    # Read by the isolation suite (tests/tenancy), which walks these models as a manager.
    view_roles = MANAGER_ONLY

    def _view_roles(self) -> tuple[str, ...]:
        return self.view_roles

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None, MANAGER_ONLY)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, MANAGER_ONLY)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, MANAGER_ONLY)

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        # The base refuses a territory where the user is no editor; here, no manager.
        if not request.user.is_superuser and not self._may(request, obj, MANAGER_ONLY):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        admin.ModelAdmin.save_model(self, request, obj, form, change)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "territory" and not request.user.is_superuser:
            from portal.models import Territory
            from portal.tenancy.access import territory_ids_for

            kwargs["queryset"] = Territory.objects.filter(pk__in=territory_ids_for(request.user, roles=MANAGER_ONLY))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(LegalNotice)
class LegalNoticeAdmin(ManagerOnlyAdmin):
    list_display = ["territory", "accessibility_status", "updated_at"]
    list_select_related = ["territory"]
    fieldsets = [
        (None, {"fields": ["territory"]}),
        (
            _("Mentions légales"),
            {"fields": ["publication_director", "postal_address", "host"]},
        ),
        (
            _("Données personnelles"),
            {"fields": ["dpo_name", "dpo_email", "dpo_postal_address", "privacy_complement"]},
        ),
        (
            _("Accessibilité"),
            {
                "fields": [
                    "accessibility_status",
                    "accessibility_audit",
                    "accessibility_non_accessible",
                    "accessibility_contact",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["territory"] if obj is not None else []

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # A manager of one territory writes that territory's pages.
        initial = super().get_changeform_initial_data(request)
        from portal.tenancy.access import territory_ids_for

        ids = territory_ids_for(request.user, roles=MANAGER_ONLY)
        if len(ids) == 1:
            initial.setdefault("territory", str(next(iter(ids))))
        return initial

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The footer's status is cached per territory.
        cache.delete(accessibility_status_cache_key(obj.territory_id))


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, ManagerOnlyAdmin):
    """Read-only, for the territory's manager: who read which personal data, when."""

    list_display = ["created_at", "user_email", "kind", "object_ref", "territory"]
    list_filter = ["kind", "user", "territory"]
    list_select_related = ["territory"]
    search_fields = ["object_ref", "user_email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]

    def get_list_display(self, request: HttpRequest) -> Any:
        # The territory column only helps whoever reads several territories' logs.
        from portal.tenancy.access import territory_ids_for

        columns = list(super().get_list_display(request))
        if not request.user.is_superuser and len(territory_ids_for(request.user, roles=MANAGER_ONLY)) < 2:
            columns.remove("territory")
        return columns

    fields = readonly_fields = (
        "created_at",
        "territory",
        "user",
        "user_email",
        "kind",
        "object_ref",
        "object_id",
        "path",
    )
