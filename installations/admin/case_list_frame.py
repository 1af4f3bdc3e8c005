"""The case list's fixed texts (installations/templates/admin/installations/case/change_list.html):
its labels and the frame's links to its styles and scripts, translated once per language
rather than at each view by a `{% translate %}` or `{% static %}` tag (about 60 and 90 function calls
each, a third of the template's time). The same text, not a cache of pages: nothing in it depends on
the request but the language."""

from __future__ import annotations

import functools
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from portal.forms import _escape

# {{ frame.KEY }} in the template: what {% translate "…" %} wrote there.
TEXTS = {
    "skip_link": _("Passer au contenu principal"),
    "welcome": _("Bienvenue,"),
    "mfa": _("Double authentification"),
    "view_site": _("Voir le site"),
    "change_password": _("Modifier le mot de passe"),
    "log_out": _("Déconnexion"),
    "theme_auto": _("Changer de thème (actuellement : automatique)"),
    "theme_light": _("Changer de thème (actuellement : clair)"),
    "theme_dark": _("Changer de thème (actuellement : sombre)"),
    "breadcrumbs": _("Fil d'Ariane"),
    "home": _("Accueil"),
    "dashboard": _("Tableau de bord"),
    "export": _("Exporter la liste filtrée (CSV)"),
    "status_tabs": _("Demandes par statut"),
    "filter_form": _("Filtrer les demandes"),
    "more_filters": _("Plus de filtres"),
    "sort": _("Tri :"),
    "filter": _("Filtrer"),
    "clear_filters": _("Effacer les filtres"),
    "for_checked": _("Pour les demandes cochées :"),
    "apply": _("Appliquer"),
    "check_all": _("Cocher toutes les demandes de la page"),
    "no_case": _("Aucune demande ne correspond à ces filtres."),
    "pages": _("Pages de la liste"),
    "previous": _("‹ Précédente"),
    "next": _("Suivante ›"),
}

# {{ frame.KEY }}: parts of the frame with only {% static %} links and the language in them.
PARTS = {
    "html_open": "admin/installations/case/change_list_open.html",
    "head_links": "admin/installations/case/change_list_head.html",
}


@functools.lru_cache(maxsize=16)
def frame_texts(language: str | None) -> dict[str, SafeString]:
    """The page's fixed texts in `language` (the active one), as the template's tags write them."""
    # As {% translate "…" %} writes a literal: as the catalogue has it, not escaped (it is safe).
    texts = {key: mark_safe(gettext(message)) for key, message in TEXTS.items()}  # noqa: S308 (our catalogue)
    for key, template in PARTS.items():
        texts[key] = mark_safe(render_to_string(template).rstrip("\n"))  # noqa: S308 (a template's output)
    return texts


def header_html(frame: dict[str, SafeString], context: dict[str, Any], user: Any) -> tuple[SafeString, SafeString]:
    """The frame's header and breadcrumbs as the template wrote them (skip link, branding, user
    tools, theme toggle, breadcrumbs), in two parts around the logout form's {% csrf_token %} (the
    second part starts after it; without the user tools, the first part holds it all): each
    {{ variable }} and {% if %} of the template cost about fifteen function calls, and this is
    written at each view. Every value is escaped as the template escaped it."""
    text = {key: _escape(context[key]) for key in ("admin_index_url", "site_header", "title", "app_list_url")}
    app = _escape(context["opts"].app_config.verbose_name)
    start = (
        f'<a href="#content-start" class="skip-to-content-link">{frame["skip_link"]}</a>\n'
        '<!-- Container -->\n<div id="container">\n    <!-- Header -->\n      <header id="header">\n'
        f'        <div id="branding">\n<div id="site-name"><a href="{text["admin_index_url"]}">'
        f"{text['site_header']}</a></div>\n        </div>\n        "
    )
    breadcrumbs = (
        "\n      </header>\n    <!-- END Header -->\n"
        f'      <nav aria-label="{frame["breadcrumbs"]}">\n<div class="breadcrumbs">\n'
        f'  <a href="{text["admin_index_url"]}">{frame["home"]}</a>\n'
        f'  &rsaquo; <a href="{text["app_list_url"]}">{app}</a>\n'
        f"  &rsaquo; {text['title']}\n</div>\n      </nav>\n"
    )
    if not context.get("has_permission"):
        return SafeString(start + breadcrumbs), SafeString("")
    name = user.get_short_name() or user.get_username()  # {% firstof %}
    site_url = context.get("site_url")
    view_site = (
        f'\n                    <a href="{_escape(site_url)}">{frame["view_site"]}</a> /\n                '
        if site_url
        else ""
    )
    change_password = (
        f'\n                <a href="{_escape(context["password_change_url"])}">{frame["change_password"]}</a> /\n'
        "                "
        if user.has_usable_password()
        else ""
    )
    tools = (
        f'\n        <div id="user-tools">\n                {frame["welcome"]}\n'
        f"                <strong>{_escape(name) if name else ''}</strong>.\n"
        f'            <a href="{_escape(context["mfa_url"])}">{frame["mfa"]}</a> /\n'
        f"                {view_site}\n                {change_password}\n"
        f'                <form id="logout-form" method="post" action="{_escape(context["logout_url"])}">\n'
        "                    "
    )
    after_token = (
        f'\n                    <button type="submit">{frame["log_out"]}</button>\n                </form>\n'
        f"{THEME_TOGGLE.format(**frame)}\n        </div>\n        "
    )
    return SafeString(start + tools), SafeString(after_token + breadcrumbs)


THEME_TOGGLE = """<button class="theme-toggle">
  <span class="visually-hidden theme-label-when-auto">{theme_auto}</span>
  <span class="visually-hidden theme-label-when-light">{theme_light}</span>
  <span class="visually-hidden theme-label-when-dark">{theme_dark}</span>
  <svg aria-hidden="true" class="theme-icon-when-auto">
    <use xlink:href="#icon-auto" />
  </svg>
  <svg aria-hidden="true" class="theme-icon-when-dark">
    <use xlink:href="#icon-moon" />
  </svg>
  <svg aria-hidden="true" class="theme-icon-when-light">
    <use xlink:href="#icon-sun" />
  </svg>
</button>"""


def content_html(frame: dict[str, SafeString], c: dict[str, Any]) -> tuple[SafeString, SafeString]:
    """The list's content as the template wrote it, in two parts: up to the table's form and its
    {% csrf_token %} (the dashboard and export links, the status tabs, the filters), then after the
    count of cases (the bulk actions, the table, the pages). Written in Python as `header_html`."""
    e = _escape
    tools = (
        '\n  <ul class="object-tools">\n'
        f'    <li><a href="{e(c["dashboard_url"])}">{frame["dashboard"]}</a></li>\n'
        f'    <li><a href="{e(c["export_url"])}">{frame["export"]}</a></li>\n  </ul>\n  '
        if c["team"]
        else ""
    )
    more = (
        f'\n    <details class="inst-more-filters"{" open" if c["filters_open"] else ""}>\n'
        f"      <summary>{frame['more_filters']}</summary>\n"
        f'      <div class="inst-filter-grid">\n        {"".join(e(field) for field in c["filter_fields"])}\n'
        "      </div>\n    </details>\n    "
        if c["filter_fields"]
        else ""
    )
    sort_errors = (
        '<div class="error-text" id="id_o_error">'
        + "".join(f"<p>{frame['sort']} {e(error)}</p>" for error in c["sort_errors"])
        + "</div>"
        if c["sort_errors"]
        else ""
    )
    before_table = (
        f'<div id="content-main" class="inst-case-list">\n  {tools}\n\n'
        f'  <nav class="inst-status-tabs" aria-label="{frame["status_tabs"]}">\n'
        f"    <ul>{e(c['status_tabs_html'])}</ul>\n  </nav>\n\n"
        f'  <form method="get" class="inst-case-filters" aria-label="{frame["filter_form"]}">\n'
        f"    {e(c['search_field'])}\n    {e(c['hidden_filters'])}\n    {more}\n    {sort_errors}\n"
        '    <div class="inst-filter-buttons">\n'
        f'      <button type="submit" class="button">{frame["filter"]}</button>\n'
        f'      <a href="?">{frame["clear_filters"]}</a>\n    </div>\n  </form>\n\n'
        '  <div id="changelist" class="module">\n    <form method="post" id="changelist-form" novalidate>'
    )
    rows, choices = c["rows"], c["action_choices"]
    actions = (
        '\n      <div class="actions">\n'
        f'        <label for="id_action">{frame["for_checked"]}</label>\n'
        f'        <select name="action" id="id_action" required>{e(c["action_options"])}</select>\n'
        '        <input type="hidden" name="select_across" value="0">\n'
        '        <input type="hidden" name="index" value="0">\n'
        f'        <button type="submit" class="button">{frame["apply"]}</button>\n      </div>\n      '
        if choices and rows
        else ""
    )
    check_all = (
        '<th scope="col" class="action-checkbox-column"><input type="checkbox" id="action-toggle"'
        f' aria-label="{frame["check_all"]}"></th>'
        if choices
        else ""
    )
    table = (
        f'\n      <div class="results">\n        <table id="result_list" aria-label="{e(c["title"])}, '
        f'{e(c["table_page_label"])}">\n          <thead>\n            <tr>\n              {check_all}\n'
        f"              {e(c['headers_html'])}\n            </tr>\n          </thead>\n          <tbody>\n"
        f"            {e(c['rows_html'])}\n          </tbody>\n        </table>\n      </div>\n      "
        if rows
        else f'\n      <p class="inst-empty">{frame["no_case"]}</p>\n      '
    )
    pages = ""
    if c["page"].has_other_pages():
        previous, following = c["previous_url"], c["next_url"]
        previous = f'<a href="{e(previous)}" rel="prev">{frame["previous"]}</a>' if previous else ""
        following = f'<a href="{e(following)}" rel="next">{frame["next"]}</a>' if following else ""
        pages = (
            f'\n    <nav class="paginator" aria-label="{frame["pages"]}">\n      {previous}\n'
            f'      <span aria-current="page">{e(c["page_label"])}</span>\n      {following}\n    </nav>\n    '
        )
    after_count = f"{actions}\n      {table}\n    </form>\n    {pages}\n  </div>\n</div>"
    return SafeString(before_table), SafeString(after_count)
