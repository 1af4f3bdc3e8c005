"""French university semesters: winter from November to April, summer from May to October."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from training.semesters import Semester, check_dates_in_semester, semester_choices


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (datetime.date(2026, 11, 1), "2026-hiver"),
        (datetime.date(2027, 4, 30), "2026-hiver"),
        (datetime.date(2027, 5, 1), "2027-ete"),
        (datetime.date(2027, 10, 31), "2027-ete"),
        (datetime.date(2027, 1, 15), "2026-hiver"),
    ],
)
def test_the_semester_containing_a_day(day, code):
    assert Semester.containing(day).code == code


def test_winter_runs_from_november_to_april_of_the_next_year():
    winter = Semester.from_code("2026-hiver")
    assert (winter.start, winter.end) == (datetime.date(2026, 11, 1), datetime.date(2027, 4, 30))
    assert winter.label == "Hiver 2026-2027 (novembre à avril)"
    assert winter.next().code == "2027-ete"
    assert winter.next().next().code == "2027-hiver"


def test_codes_sort_in_time_order():
    codes = [code for code, _label in semester_choices(around=datetime.date(2026, 12, 1))]
    assert codes == sorted(codes)
    assert codes[:3] == ["2025-hiver", "2026-ete", "2026-hiver"]


def test_an_unknown_code_is_refused_in_french():
    with pytest.raises(ValidationError, match="Semestre inconnu"):
        Semester.from_code("2026-printemps")


def test_dates_outside_the_semester_are_refused_on_their_field():
    errors = check_dates_in_semester("2027-ete", datetime.date(2027, 4, 20), datetime.date(2027, 11, 2))
    assert set(errors) == {"start_date", "end_date"}
    assert "du 01/05/2027 au 31/10/2027" in errors["start_date"]
    assert check_dates_in_semester("2027-ete", datetime.date(2027, 5, 2), datetime.date(2027, 10, 31)) == {}
    reversed_dates = check_dates_in_semester("2027-ete", datetime.date(2027, 9, 1), datetime.date(2027, 6, 1))
    assert reversed_dates == {"end_date": "La date de fin doit suivre la date de début."}
