"""The applicant's case page writes its aid verdicts in Python (installations/applicant_html.py): the
same bytes as the template the public aids page still includes, whatever the verdict, amount, note,
contact and characters to escape."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from installations.applicant_html import eligibility_html
from installations.eligibility import AidEligibility
from installations.enums import Funder
from installations.models import Aid
from portal.models import Territory

REASONS = ["Ouverte à votre profession (Médecin).", "L'Isle & <Saint-Lô> est classée « ZIP »."]


def _results():
    aids = [
        Aid(name="Contrat d'aide <à l'installation> & plus", funder=Funder.CPAM, amount=Decimal("50000")),
        Aid(name="Prime", funder=Funder.REGION, amount=Decimal("12500.50"), amount_note="versée en 2 fois <ou> 3"),
        Aid(name="Logement", funder=Funder.COMMUNE, amount=None, amount_note=""),
        Aid(name="Bourse", funder=Funder.OTHER, amount=Decimal("0"), amount_note="selon l'avis"),
    ]
    return [
        AidEligibility(aid=aids[0], eligible=True, reasons=REASONS),
        AidEligibility(aid=aids[1], eligible=None, reasons=REASONS[:1], zoning_unknown=True),
        AidEligibility(aid=aids[2], eligible=None, reasons=[]),
        AidEligibility(aid=aids[3], eligible=False, reasons=REASONS),
    ]


@pytest.mark.parametrize("phone", ["", "02 33 00 00 00"])
@pytest.mark.parametrize("count", [0, 1, 2, 4])
def test_the_verdicts_are_the_templates_bytes(phone, count):
    territory = Territory(slug="alpha", name="Alpha", contact_email="guichet+<a>@alpha.fr", contact_phone=phone)
    results = _results()[:count] if count != 2 else _results()[1:3]
    expected = render_to_string("installations/_eligibility.html", {"results": results, "territory": territory})
    assert eligibility_html(results, territory) == expected
