"""French that reads like French, on the demo's pages and e-mails: the territory's name with its
article ("de la Communauté…", "du Département…", "de l'Agglomération…"), plurals that agree, "1er"
for the first of the month, one time format ("18 h 00"), phone numbers that never break, and one
inclusive-writing convention (CONTRIBUTING.md, "Writing French"): no abbreviated forms, and no
masculine agreement assumed for the "vous" the portal speaks to."""

import datetime
import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal import french
from portal.models import Territory
from portal.notifications.emails import address_message, single_message
from portal.notifications.models import Notification

NBSP = "\u00a0"

# (pattern, what is wrong): each one a fault the issue found on the demo.
FAULTS = [
    (r"\b(?:de|à|par) (?:Communauté|Agglomération|Département|Métropole|Région)\b", "a name without its article"),
    (r"\b(?:de|à) (?:le|les) ", "« de le » / « à les » instead of « du » / « aux »"),
    (r"\bde l' ", "a space after an elided article"),
    (r"\(s\)", "a plural written « (s) »"),
    (r"\b1 (?:[A-Za-zéèê]+s) (?:installés|reçues|ouverts)\b", "a plural after 1"),
    (
        r"\b1 (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b",
        "« 1 » for « 1er »",
    ),
    (r"\b\d{1,2}(?:h\d\d|:\d\d)\b", "a time not written « 18 h 00 »"),
    (r"\b0\d(?: \d\d){4}\b", "a phone number with breaking spaces"),
]

# What the inclusive-writing convention forbids (CONTRIBUTING.md, "Writing French"): abbreviated
# doublets, which screen readers spell out ("convoqué point médian e") and which cut words in two, and
# a "vous" given the masculine when the portal does not know whom it speaks to.
FEMININE_ENDINGS = r"(?:e|es|ne|nes|le|les|trice|trices|rice|rices|euse|euses|ère|ères|sse|sses)"
INCLUSIVE_FAULTS = [
    (r"[a-zà-ÿ][·•‧⋅∙][a-zà-ÿ]", "a median dot inside a word"),
    (rf"[a-zà-ÿ]\({FEMININE_ENDINGS}\)", "a feminine ending in brackets"),
    (rf"[a-zà-ÿ]{{2}}/{FEMININE_ENDINGS}\b", "a feminine ending after a slash"),
    (rf"[a-zà-ÿ]{{3}}\.{FEMININE_ENDINGS}\.?s?\b(?!\.)", "a feminine ending after a full stop"),
    (r"[a-zà-ÿ]{3}-e-?s?\b", "a feminine ending after a hyphen"),
    (r"[a-zà-ÿ]{3}E(?:s|S)?\b", "a feminine ending in capitals"),
    (
        r"\b[Vv]ous (?:n')?(?:êtes|serez|seriez|étiez|soyez|\w+ez être)(?: (?:pas|plus|déjà|bien|toujours|encore))? "
        r"(?:inscrit|prévenu|convoqué|invité|accompagné|représenté|présent|excusé|attendu|informé|seul)s?\b",
        "a « vous » given the masculine",
    ),
]
FAULTS += INCLUSIVE_FAULTS
ROOT = Path(__file__).resolve().parents[2]


class _Text(HTMLParser):
    """The text a person reads: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split(" "))


def faults_in(text: str) -> list[str]:
    # Addresses are not prose: a signed link's random token once read as "ynoE", a capital E ending.
    text = re.sub(r"https?://\S+", " ", text)
    found: list[str] = []
    for pattern, why in FAULTS:
        found.extend(f"{why}: « {m.group(0)} »" for m in re.finditer(pattern, text))
    return found


def test_the_helpers_write_french():
    assert french.of("Communauté d'agglomération du Cotentin", "la") == "de la Communauté d'agglomération du Cotentin"
    assert french.of("Département des Deux-Sèvres", "le") == "du Département des Deux-Sèvres"
    assert french.of("Agglomération d'Agen", "l") == "de l'Agglomération d'Agen"
    assert french.of("Agen", "") == "d'Agen"
    assert french.to("Département des Deux-Sèvres", "le") == "au Département des Deux-Sèvres"
    assert french.to("Communes du Bocage", "les") == "aux Communes du Bocage"
    assert french.date(datetime.date(2026, 9, 1)) == "1er septembre 2026"
    assert french.date(datetime.date(2026, 9, 2), "l j F Y") == "mercredi 2 septembre 2026"
    assert french.time(datetime.time(18, 0)) == f"18{NBSP}h{NBSP}00"
    assert french.phone("05 36 49 47 10") == NBSP.join(["05", "36", "49", "47", "10"])
    # The test's own patterns catch what they are meant to.
    assert faults_in("le guichet unique de Agglomération d'Agen, 1 septembre à 18h00, 1 Professionnels installés")
    assert faults_in("besoin(s) ; 02 33 00 00 00 ; de le Département")
    assert not faults_in(f"de l'Agglomération d'Agen, le 1er septembre à 18{NBSP}h{NBSP}00 ; 02{NBSP}33")


def test_the_inclusive_writing_patterns_find_each_abbreviated_form():
    for wrong in (
        "Vous êtes convoqué·e",
        "les professionnel·les",
        "un(e) candidat(e)",
        "les coordinateur/trices",
        "le ou la salarié.e",
        "les salarié.e.s",
        "les salarié-e-s",
        "les salariéEs",
        "Vous êtes inscrit à cet événement.",
        "vous serez prévenu de la décision",
        "vous souhaitez être accompagné",
    ):
        assert faults_in(wrong), wrong
    for right in (
        "Nous vous convoquons à la réunion.",
        "les professionnelles et professionnels de santé",
        "Mission d'intérêt public (6.1.e)",
        "prenom.nom@exemple.fr · 18 h",
        "Votre inscription est enregistrée.",
        "Vous êtes sur la liste d'attente.",
    ):
        assert not faults_in(right), right


TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _french_sources():
    """The catalogue and every template: each French sentence a page or an e-mail can show."""
    yield ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        yield from sorted(p for p in folder.rglob("*") if p.suffix in (".html", ".txt"))


def test_the_catalogue_and_templates_follow_the_inclusive_writing_convention():
    sources = list(_french_sources())
    assert len(sources) > 100
    problems = []
    for source in sources:
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            if source.suffix == ".po" and line.startswith("#"):  # references and translators' comments
                continue
            line = TEMPLATE_CODE.sub(" ", line)  # `{{ message.le }}` is code, not French
            for pattern, why in INCLUSIVE_FAULTS:
                problems.extend(
                    f"{source.relative_to(ROOT)}:{number}: {why}: « {m.group(0)} »" for m in re.finditer(pattern, line)
                )
    assert not problems, "\n".join(problems)


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=StringIO())
    return list(Territory.objects.order_by("slug"))


def _pages(territory):
    slug = {"territory_slug": territory.slug}
    commune = territory.communes.order_by("insee_code").first()
    yield reverse("portal:landing")
    yield reverse("portal:territory_home", kwargs=slug)
    yield reverse("installations:start", kwargs=slug)
    yield reverse("installations:aids", kwargs=slug)
    for profession in ("doctor_gp", "nurse", "physiotherapist"):
        yield reverse("installations:aids", kwargs=slug) + f"?profession={profession}&commune={commune.pk}"
    yield reverse("installations:opportunity_list", kwargs=slug)
    yield reverse("installations:request_step", kwargs={**slug, "step": "vous"})
    yield reverse("events:list", kwargs=slug)
    yield reverse("account_login")
    yield reverse("account_signup")


def test_demo_pages_read_like_french(demo):
    client = Client()
    problems = []
    for territory in demo:
        for url in _pages(territory):
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            problems.extend(f"{url}: {fault}" for fault in faults_in(visible_text(response.content.decode())))
    assert not problems, "\n".join(problems)
    start = client.get(reverse("installations:start", kwargs={"territory_slug": "agen"})).content.decode()
    assert "le guichet unique de l&#x27;Agglomération d&#x27;Agen" in start


def test_demo_emails_read_like_french(demo):
    from installations.models import Case
    from installations.services.applicant_mail import case_send_confirmation

    for territory in demo:
        case = Case.objects.for_territory(territory).filter(applicant__isnull=True).first()
        if case is not None:
            Case.objects.filter(pk=case.pk).update(confirmation_sent_at=None, confirmed_at=None)
            case.refresh_from_db()
            case_send_confirmation(case=case, link="https://exemple.fr/confirmer/")
    notifications = list(Notification.objects.select_related("territory", "recipient"))
    assert notifications
    problems = []
    for notification in notifications:
        message = address_message(notification) if notification.email_address else single_message(notification)
        problems.extend(f"{notification.kind}: {fault}" for fault in faults_in(f"{message.subject}\n{message.body}"))
    assert not problems, "\n".join(problems)
    bodies = " ".join(n.body for n in notifications)
    assert "du Département des Deux-Sèvres" in bodies or "de la Communauté d'agglomération du Cotentin" in bodies
