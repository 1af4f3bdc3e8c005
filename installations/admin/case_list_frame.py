"""The case list's fixed texts (installations/templates/admin/installations/case/change_list.html):
its labels and the frame's links to its styles and scripts, translated once per language
rather than at each view by a `{% translate %}` or `{% static %}` tag (about 60 and 90 function calls
each, a third of the template's time). The same text, not a cache of pages: nothing in it depends on
the request but the language."""

from __future__ import annotations

import functools

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

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
