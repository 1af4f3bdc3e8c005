"""The case admin: CaseAdmin, composed of its pages (the list, the case page, the workflow, the
export, the dashboard), with the scope they share and their URLs."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.urls import path

from installations.admin.case_list import CaseListMixin
from installations.admin.case_page import CasePageMixin
from installations.admin.common import ADMIN_CSS, partner_ids, team_ids
from installations.admin.dashboard import CaseDashboardMixin
from installations.admin.exports import CaseExportMixin
from installations.admin.workflow import CaseWorkflowMixin
from installations.models import Case, Need
from portal.tenancy.admin import TerritoryScopedAdmin


@admin.register(Case)
class CaseAdmin(
    CaseListMixin, CasePageMixin, CaseWorkflowMixin, CaseExportMixin, CaseDashboardMixin, TerritoryScopedAdmin
):
    partner_can_view = True
    # The case list is a page of its own (changelist_view): Django's generic change list cost about
    # 50 ms of CPU per view, and coordinators reload this list all day (issue 3's load target).
    list_per_page = 25
    ordering = ["-submitted_at", "-id"]

    change_list_template = "admin/installations/case/change_list.html"

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

    def _is_team_user(self, request):
        return request.user.is_superuser or bool(team_ids(request))

    def has_add_permission(self, request):
        # Cases come from the applicants' form (case_submit).
        return False

    def has_delete_permission(self, request, obj=None):
        # Erasure (anonymisation, keeping the statistics) replaces deletion.
        return False

    # --- extra pages
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="installations_dashboard"),
            path("export/", wrap(self.export_view), name="installations_case_export"),
            path(
                "<path:object_id>/page/<str:action>/",
                wrap(self.case_action_view),
                name="installations_case_action",
            ),
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
