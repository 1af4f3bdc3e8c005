"""The coordinators' case list (CaseAdmin's change list): status tabs with their counts, filters,
search, sortable columns, the rows, the bulk actions. A page of its own rather than Django's change
list (see `CaseListMixin.changelist_view`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from installations import list_cache, selectors
from installations.admin.common import partner_ids, per_request, team_ids
from installations.enums import OPEN_STATUSES, CaseStatus
from installations.filters import OPEN, CaseListFilter
from installations.models import no_answer_days
from installations.services.lifecycle import case_assign
from portal.enums import Profession
from portal.models import Territory
from portal.tenancy.admin import admin_context_without_sidebar

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


class CaseListMixin:
    """The coordinators' list page of CaseAdmin, with its bulk actions."""

    # What it uses of the CaseAdmin it is part of (declared for the type checker only).
    _is_team_user: Callable[[HttpRequest], bool]
    get_queryset: Callable[[HttpRequest], QuerySet[Any]]

    def get_actions(self, request):
        if not self._is_team_user(request):
            return {}
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        actions["assign_to_me"] = (
            CaseListMixin.assign_to_me,
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
        return per_request(request, "team", lambda: list(selectors.team_memberships(request.user)))

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
                case_assign(actor=request.user, case=case, coordinator=coordinator)
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
        late = _("Sans réponse depuis plus de %(days)s jours") % {"days": no_answer_days()}
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
