"""The coordinators' case list (CaseAdmin's change list): status tabs with their counts, filters,
search, sortable columns, the rows, the bulk actions. A page of its own rather than Django's change
list (see `CaseListMixin.changelist_view`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from installations import selectors
from installations.admin.case_list_frame import content_html, frame_texts, header_html
from installations.admin.common import partner_ids, per_request, team_ids
from installations.enums import OPEN_STATUSES, CaseStatus
from installations.filters import OPEN, CaseListFilter
from installations.models import no_answer_days
from installations.services.lifecycle import case_assign
from portal.enums import Profession
from portal.forms import field_html
from portal.models import Territory, User
from portal.tenancy.admin import admin_context_without_sidebar

# What html.escape replaces, and by what.
HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(value) -> str:
    """HTML-escaped text, as Django's escape gives it (html.escape), without its lazy-text wrapper,
    in one pass over the text (html.escape makes five: the page escapes about a hundred texts)."""
    return str(value).translate(HTML_ESCAPES)


def query_link(query: QueryDict) -> Callable[..., str]:
    """`link(name=value, …)`: the escaped href `{% querystring name=value … %}` gives on a page of
    `query` (a value None removes the parameter), without copying the QueryDict for each of the
    page's twenty links."""
    current = list(query.lists())
    # Each parameter encoded once: a link encodes only what it changes (`_encoded`).
    encoded = {key: urlencode([(key, value) for value in values]) for key, values in current}

    def link(**changes) -> str:
        if not current and not changes:
            return ""
        parts = dict(encoded)
        for key, value in changes.items():
            if value is None:
                parts.pop(key, None)
            else:
                parts[key] = _encoded(key, value)
        if not current and not parts:
            return ""
        # SafeString itself: mark_safe's lazy-text check was a fifth of a link's cost (escaped here).
        return SafeString(escape("?" + "&".join(part for part in parts.values() if part)))

    return link


@functools.lru_cache(maxsize=256)
def _encoded(key, value) -> str:
    """`key=value` URL-encoded, for the values the page's links set (statuses, sorts, page numbers:
    a few dozen, each link encoded them again)."""
    return urlencode([(key, value)])


# Cells of the case list (CaseAdmin._rows): str.format templates, their values escaped.
CHECKBOX_CELL = (
    '<td class="action-checkbox"><input type="checkbox" name="_selected_action" value="{}" class="action-select"'
    ' aria-label="{} {}"></td>'
)
REFERENCE_CELL = '<th scope="row" class="field-reference"><a href="{}/{}/{}">{}</a>{}</th>'
DUPLICATE_FLAG = '<br><span class="inst-duplicate">{} <a href="{}/{}/{}">{}</a></span>'


def _urlconf():
    return get_urlconf() or settings.ROOT_URLCONF


@functools.lru_cache(maxsize=16)
def _page_urls(script_prefix, urlconf, site_name, app_label):
    """The page's fixed links, reversed once per script prefix and URLconf (reversing was a tenth
    of the view's own time)."""
    return {
        "admin_index_url": reverse("admin:index", current_app=site_name),
        "app_list_url": reverse("admin:app_list", kwargs={"app_label": app_label}, current_app=site_name),
        "logout_url": reverse("admin:logout", current_app=site_name),
        "password_change_url": reverse("admin:password_change", current_app=site_name),
        "mfa_url": reverse("mfa_index"),
        "export_url": reverse("admin:installations_case_export"),
        "dashboard_url": reverse("admin:installations_dashboard"),
    }


@functools.lru_cache(maxsize=16)
def _legal_footer_html(language, script_prefix, urlconf, accessibility_status):
    """admin/legal_footer.html as the admin's pages write it (the national legal pages: the admin is
    outside any territory), once per language, script prefix, URLconf and stated status."""
    from portal.privacy.selectors import footer_links

    return render_to_string("admin/legal_footer.html", {"legal_links": footer_links(None)})


@functools.lru_cache(maxsize=16)
def _change_url_parts(script_prefix, urlconf):
    """A case page's URL before and after its primary key, escaped."""
    return tuple(escape(part) for part in reverse("admin:installations_case_change", args=[0]).rsplit("/0/", 1))


@functools.cache
def _row_labels(language):
    """The rows' fixed labels, escaped, per language: each translated choice cost a look-up in the
    catalogue at each view (the labels are lazy texts)."""
    professions = {value: escape(label) for value, label in Profession.choices}
    statuses = {value: escape(label) for value, label in CaseStatus.choices}
    waiting = {"applicant": _("demandeur"), "team": _("équipe"), "partner": _("partenaire"), "": "—"}
    waiting = {key: escape(label) for key, label in waiting.items()}
    return professions, statuses, waiting, escape(_("Cocher")), escape(_("aujourd'hui"))


class LookaheadPaginator(Paginator):
    """The case list's pages when filters or a search apply: the page is read with one row more than
    it shows, and that row says whether a next page exists. The cases are never counted: a COUNT
    cost as much as the page again (a search or a need filter over a territory's cases) and more as
    the list grew. The total is exact when the page reached is the last one; otherwise the list says
    "more than N" (`capped`, `at_least`). A status tab's total, known from the cached per-status
    counts, is set as `count`. `read(offset, limit)` reads the rows of a page (by default a slice)."""

    def __init__(self, object_list, per_page, *, wanted, read=None):
        super().__init__(object_list, per_page)
        self.wanted = int(wanted) if str(wanted or "").isdigit() and int(wanted) > 0 else 1
        self.read = read or (lambda offset, limit: list(object_list[offset : offset + limit]))
        self.capped = False
        self.at_least = 0
        self._rows = None

    @cached_property
    def count(self):
        offset = (self.wanted - 1) * self.per_page
        rows = self.read(offset, self.per_page + 1)
        if not rows and self.wanted > 1:
            # Past the end (a stale link): the last page, as Django's paginator gives.
            total = self.object_list.count()
            self.wanted = max(1, -(-total // self.per_page))
            offset = (self.wanted - 1) * self.per_page
            rows = self.read(offset, self.per_page)
        self._rows = rows[: self.per_page]
        self.capped = len(rows) > self.per_page
        self.at_least = offset + self.per_page
        return offset + len(rows)

    def page(self, number):
        number = self.validate_number(number)
        if self._rows is not None and number == self.wanted:
            return self._get_page(self._rows, number, self)
        return self._get_page(self.read((number - 1) * self.per_page, self.per_page), number, self)


def read_rows(queryset):
    """A page's rows (selectors.CaseRow), read with one query."""

    def read(offset, limit):
        return selectors.case_rows(queryset[offset : offset + limit])

    return read


def read_by_ids_first(queryset):
    """A page read in two steps: the ids of its rows in the list's order (an index-only scan when
    the order and filters are on indexed columns), then those rows. For the sort by coordinator,
    whose order no index holds: sorting the ids of a territory's 20,000 cases rather than the
    cases themselves with their coordinator (40 ms)."""

    def read(offset, limit):
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
        rows = {row.pk: row for row in selectors.case_rows(queryset.order_by().filter(pk__in=ids))}
        return [rows[pk] for pk in ids]

    return read


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
    def _one_territory(request):
        """What the list shows of the territory of a coordinator of one territory (its counts, team
        and communes: selectors.territory_list, one cache round trip), else None (a superuser, a
        partner referent, someone in several teams: those are read from the database)."""

        def read():
            team = team_ids(request)
            if request.user.is_superuser or len(team) != 1 or partner_ids(request) - team:
                return None
            return selectors.territory_list(next(iter(team)))

        return per_request(request, "territory_list", read)

    @classmethod
    def _team_members(cls, request):
        """The team memberships of the user's territories (read once per request: the filters and
        the actions both list the team)."""
        if (one := cls._one_territory(request)) is not None:
            return one.team
        return per_request(request, "team", lambda: selectors.team_memberships(request.user))

    @classmethod
    def _team_communes(cls, request):
        if (one := cls._one_territory(request)) is not None:
            return one.communes
        return selectors.team_communes(request.user).values_list("pk", "name")

    @staticmethod
    def _assign_action(coordinator):
        def action(modeladmin, request, queryset):
            # The team is read with only the columns the list shows: the person, whole, once chosen.
            modeladmin.bulk_assign(request, queryset, User.objects.get(pk=coordinator.pk))

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

    def case_filterset(self, request, data=None) -> CaseListFilter:
        """The list's filters over the cases the user may see (also what the export and the
        dashboard's "to do" counts read); `data` instead of the request's query string."""
        team = self._is_team_user(request)
        return CaseListFilter(
            request.GET if data is None else data,
            self.get_queryset(request),
            request=request,
            team=team,
            communes=self._team_communes(request) if team else (),
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
        listed = filterset.qs
        read = read_by_ids_first(listed) if filterset.read_ids_first else read_rows(listed)
        paginator = LookaheadPaginator(listed, self.list_per_page, wanted=request.GET.get("page"), read=read)
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
        link = query_link(request.GET)
        form = filterset.form
        rows = self._rows(cases, team=team, selectable=bool(action_choices))
        if page.paginator.capped:
            table_page_label = gettext("page %(number)s") % {"number": page.number}
            page_label = gettext("Page %(number)s") % {"number": page.number}
        else:
            numbers = {"number": page.number, "pages": page.paginator.num_pages}
            table_page_label = gettext("page %(number)s sur %(pages)s") % numbers
            page_label = gettext("Page %(number)s sur %(pages)s") % numbers
        urls = _page_urls(get_script_prefix(), _urlconf(), self.admin_site.name, self.model._meta.app_label)
        context = {
            # The list is a wide table a coordinator works in all day: no navigation sidebar (it
            # listed every model, about 7 ms per view); the breadcrumbs lead back to the admin.
            **admin_context_without_sidebar(self.admin_site, request),
            **(extra_context or {}),
            "opts": self.model._meta,
            "title": _("Demandes d'accompagnement"),
            # The frame's links (the template writes admin/base_site.html's frame itself).
            **urls,
            "team": team,
            "filterset": filterset,
            # The fields as includes/field.html writes them, in Python (portal.forms.field_html).
            "search_field": field_html(form["q"]),
            "hidden_filters": self._hidden_filters(form),
            "filter_fields": [field_html(field) for field in form if field.name not in ("status", "o", "q")],
            "filters_open": bool(form.errors or form.changed_data),
            "sort_errors": form["o"].errors,
            "status_tabs_html": self._status_tabs_html(counts, filterset, link),
            "headers_html": self._headers_html(self._columns(filterset, team), link),
            "page": page,
            "page_label": page_label,
            "table_page_label": table_page_label,
            "previous_url": link(page=page.previous_page_number()) if page.has_previous() else "",
            "next_url": link(page=page.next_page_number()) if page.has_next() else "",
            "cases": cases,
            "rows": rows,
            "rows_html": mark_safe("".join(rows)),  # noqa: S308 (each row escaped in _rows)
            "action_choices": action_choices,
            "action_options": mark_safe(  # noqa: S308 (every value escaped)
                "".join(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in action_choices)
            ),
            "export_url": urls["export_url"] + (f"?{query}" if query else ""),
            "frame": frame_texts(get_language()),
            "legal_footer_html": _legal_footer_html(
                get_language(), get_script_prefix(), _urlconf(), settings.LEGAL_ACCESSIBILITY_STATUS
            ),
        }
        context["header_html"] = header_html(context["frame"], context, request.user)
        context["content_html"] = content_html(context["frame"], context)
        return TemplateResponse(request, "admin/installations/case/change_list.html", context)

    @staticmethod
    def _rows(cases, *, team, selectable):
        """The table's rows, written in one pass: this list is reloaded all day, and through the
        template engine (a dozen variables, a date and a translated choice per row) the 25 rows
        took a third of the page's time. Labels come from a dict (a model's get_FOO_display()
        translates every choice of the field at each call)."""
        # Cells written with str.format and html.escape (what format_html does, without its lazy
        # wrappers: they were two thirds of the rows' time); every value is escaped, once.
        professions, statuses, waiting, tick, today = _row_labels(get_language())
        late = escape(_("Sans réponse depuis plus de %(days)s jours") % {"days": no_answer_days()})
        contacts = {}  # days -> the cell's text (rows often share it)
        zone = timezone.get_current_timezone()  # (the rows' dates are aware: localtime without its checks)
        # The rows' URLs differ only by the primary key.
        before, after = _change_url_parts(get_script_prefix(), _urlconf())
        duplicate = escape(_("Demande en double possible : voir"))
        rows = []
        for case in cases:
            reference = escape(case.reference)
            cells = []
            if selectable:
                cells.append(CHECKBOX_CELL.format(case.pk, tick, reference))
            other = case.possible_duplicate
            flag = (
                DUPLICATE_FLAG.format(duplicate, before, other.pk, after, escape(other.reference))
                if other is not None
                else ""
            )
            cells.append(REFERENCE_CELL.format(before, case.pk, after, reference, flag))
            if team:
                cells.append(f"<td>{escape(case.applicant_name)}</td>")
            cells.append(
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>".format(
                    professions.get(case.profession) or escape(case.profession),
                    statuses.get(case.status) or escape(case.status),
                    escape(case.assigned_to or "—"),
                    case.submitted_at.astimezone(zone).strftime("%d/%m/%Y"),  # (timezone.localtime)
                )
            )
            if team:
                days = case.days_since_contact
                if days not in contacts:
                    contacts[days] = (
                        escape(ngettext("il y a %(days)s jour", "il y a %(days)s jours", days) % {"days": days})
                        if days
                        else today
                    )
                contact = contacts[days]
                if case.no_answer:
                    contact = f'<span class="inst-no-answer" title="{late}">{contact}</span>'
                cells.append(f"<td>{contact}</td><td>{waiting[case.waiting_on]}</td>")
            rows.append(SafeString(f"<tr>{''.join(cells)}</tr>"))  # (every value escaped above; as mark_safe)
        return rows

    def _status_counts(self, request):
        """Cases per status in the list's scope: cached per territory for the team's everyday list."""
        if (one := self._one_territory(request)) is not None:
            return one.counts
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

    @classmethod
    def _status_tabs_html(cls, counts, filterset, link):
        """The status tabs, each a link keeping the other filters (the page back to the first)."""
        return mark_safe(  # noqa: S308 (every value escaped)
            "\n      ".join(
                '<li><a href="{}"{}>{} ({})</a></li>'.format(
                    link(status=tab["value"], page=None),
                    ' aria-current="page"' if tab["current"] else "",
                    escape(tab["label"]),
                    tab["count"],
                )
                for tab in cls._status_tabs(counts, filterset)
            )
        )

    @staticmethod
    def _hidden_filters(form):
        """The status and the sort, kept when the filter form is sent."""
        hidden = []
        if status := form["status"].value():
            hidden.append(f'<input type="hidden" name="status" value="{escape(status)}">')
        if ordering := form["o"].value():
            hidden.append(f'<input type="hidden" name="o" value="{escape(ordering[0])}">')
        return mark_safe("\n    ".join(hidden))  # noqa: S308 (every value escaped)

    @staticmethod
    def _headers_html(columns, link):
        """The table's column headers: a link to sort by each sortable column, the current sort said
        by aria-sort."""
        cells = []
        for column in columns:
            sort = f' aria-sort="{column["sort"]}" class="sorted {column["sort"]}"' if column["sort"] else ""
            label = escape(column["label"])
            if column["key"]:
                label = f'<a href="{link(o=column["next"], page=None)}">{label}</a>'
            cells.append(f'<th scope="col"{sort}>{label}</th>')
        return mark_safe("\n              ".join(cells))  # noqa: S308 (every value escaped)

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
