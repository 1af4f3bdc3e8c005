import datetime as dt

from icalendar import Calendar

from portal.events import ics

UTC = dt.UTC


def _unfold(text: str) -> list[str]:
    """Parse content lines back (RFC 5545 §3.1): CRLF separated, continuation lines start with a space."""
    assert text.endswith("\r\n")
    raw = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in raw)
    lines: list[str] = []
    for line in raw:
        assert len(line.encode("utf-8")) <= 75, line
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def ics_unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def ics_properties(text: str) -> dict[str, str]:
    props: dict[str, str] = {}
    for line in _unfold(text):
        name, _sep, value = line.partition(":")
        props.setdefault(name.split(";")[0], value)
    return props


def _invitation(**overrides):
    values = {
        "uid": "event-7-cotentin@guichet-sante",
        "sequence": 2,
        "starts_at": dt.datetime(2026, 3, 12, 17, 0, tzinfo=UTC),
        "ends_at": dt.datetime(2026, 3, 12, 19, 0, tzinfo=UTC),
        "summary": "Séance plénière; budget, programme \\ vote",
        "description": "Ordre du jour :\n1. Adoption du programme de travail, 2026\n2. Avis sur la MSP",
        "location": "Salle du conseil, 8 rue des Vindits; Cherbourg",
        "url": "https://guichet.example/cotentin/gouvernance/reunions/7/",
        "organizer_name": "Communauté d'agglomération du Cotentin",
        "organizer_email": "guichet@cotentin.example",
        "attendee_name": "Dr Lefèvre, Anne",
        "attendee_email": "anne@exemple.fr",
        "now": dt.datetime(2026, 2, 1, 8, 30, tzinfo=UTC),
    }
    values.update(overrides)
    return ics.invitation(**values)


def test_invitation_lines_end_with_crlf_and_parse_back():
    text = _invitation()
    props = ics_properties(text)
    assert props["BEGIN"] == "VCALENDAR"
    assert props["METHOD"] == "REQUEST"
    assert props["UID"] == "event-7-cotentin@guichet-sante"
    assert props["SEQUENCE"] == "2"
    assert props["DTSTART"] == "20260312T170000Z"
    assert props["DTEND"] == "20260312T190000Z"
    assert props["DTSTAMP"] == "20260201T083000Z"
    assert text.count("\r\n") == len(text.split("\r\n")) - 1


def test_text_values_are_escaped_and_come_back_intact():
    props = ics_properties(_invitation())
    assert props["SUMMARY"] == "Séance plénière\\; budget\\, programme \\\\ vote"
    assert ics_unescape(props["SUMMARY"]) == "Séance plénière; budget, programme \\ vote"
    assert ics_unescape(props["DESCRIPTION"]) == (
        "Ordre du jour :\n1. Adoption du programme de travail, 2026\n2. Avis sur la MSP"
    )
    assert ics_unescape(props["LOCATION"]) == "Salle du conseil, 8 rue des Vindits; Cherbourg"


def test_parameter_values_with_separators_are_quoted():
    lines = _unfold(_invitation())
    attendee = next(line for line in lines if line.startswith("ATTENDEE"))
    assert attendee.startswith('ATTENDEE;CN="Dr Lefèvre, Anne";')
    assert attendee.endswith(":mailto:anne@exemple.fr")
    organizer = next(line for line in lines if line.startswith("ORGANIZER"))
    assert organizer == "ORGANIZER;CN=Communauté d'agglomération du Cotentin:mailto:guichet@cotentin.example"


def test_long_lines_fold_at_75_octets_without_cutting_accented_characters():
    summary = "é" * 100
    text = _invitation(summary=summary)
    physical = text.split("\r\n")
    assert any(line.startswith(" ") for line in physical)
    for line in physical:
        line.encode("utf-8").decode("utf-8")  # every physical line is valid UTF-8 on its own
        assert len(line.encode("utf-8")) <= 75
    assert ics_properties(text)["SUMMARY"] == summary


def test_cancelled_meeting_sends_a_cancel():
    props = ics_properties(_invitation(cancelled=True))
    assert props["METHOD"] == "CANCEL"
    assert props["STATUS"] == "CANCELLED"


def test_a_real_parser_reads_the_invitation_back():
    calendar = Calendar.from_ical(_invitation())
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "event-7-cotentin@guichet-sante"
    assert event.decoded("DTSTART") == dt.datetime(2026, 3, 12, 17, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == dt.datetime(2026, 3, 12, 19, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Séance plénière; budget, programme \\ vote"
    assert str(event["LOCATION"]) == "Salle du conseil, 8 rue des Vindits; Cherbourg"
    assert str(event["DESCRIPTION"]).startswith("Ordre du jour :\n1. Adoption")
    assert str(event["ATTENDEE"]) == "mailto:anne@exemple.fr"
    assert event["ATTENDEE"].params["CN"] == "Dr Lefèvre, Anne"


def test_a_calendar_holds_one_vevent_per_event_and_no_method_when_downloaded():
    start = dt.datetime(2026, 5, 6, 14, 0, tzinfo=UTC)
    events = [
        ics.VEvent(uid=f"event-{n}@guichet-sante", starts_at=start, ends_at=start + dt.timedelta(hours=2), summary=s)
        for n, s in enumerate(["Mercredi de la santé", "Université de la santé\nconférence"])
    ]
    text = ics.calendar(events, name="Agenda prévention, Agen")
    calendar = Calendar.from_ical(text)
    assert "METHOD" not in calendar
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
        "Mercredi de la santé",
        "Université de la santé\nconférence",
    ]
    # An X- property is TEXT (RFC 5545 §3.8.8.2); the library hands it back as written.
    assert ics_unescape(str(calendar["X-WR-CALNAME"])) == "Agenda prévention, Agen"


def test_a_line_break_in_an_address_cannot_add_a_property():
    text = _invitation(url="https://guichet.example/\r\nATTENDEE:mailto:intrus@exemple.fr", attendee_email="")
    assert "intrus" in text
    assert not any(line.startswith("ATTENDEE") for line in text.split("\r\n"))
