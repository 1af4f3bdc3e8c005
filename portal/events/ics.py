"""The project's one iCalendar (RFC 5545) writer: events' invitations, governance's convocations, and
any feed an app builds. Written by hand: the format is small, and the tests parse its output with
the `icalendar` library, as a calendar client would.

What matters for calendar clients: CRLF line ends, lines folded at 75 octets without cutting a
UTF-8 character, TEXT values escaped (backslash, semicolon, comma, newline), a stable UID per
event and a SEQUENCE bumped at each new sending so the event is updated, not duplicated. Times are
written in UTC (the "Z" form): every client converts them to the reader's zone, Europe/Paris here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
PRODID = "-//Guichet unique sante//Evenements//FR"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value (e.g. CN=): quoted when it holds ':' ';' or ','; DQUOTE and controls are not allowed."""
    cleaned = "".join(ch for ch in value if ch != '"' and (ch == "\t" or ord(ch) >= 0x20))
    return f'"{cleaned}"' if any(ch in cleaned for ch in ":;,") else cleaned


def uri_value(value: str) -> str:
    """A URI or address on one line: a line break in it would start a new property."""
    return "".join(ch for ch in value if ord(ch) >= 0x20 and ch != "\x7f")


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines starting with a space."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            chunks.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    chunks.append("".join(current))
    return CRLF.join(chunks)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class VEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""
    organizer_name: str = ""
    organizer_email: str = ""
    attendee_name: str = ""
    attendee_email: str = ""
    cancelled: bool = False

    def lines(self, *, now: datetime) -> list[str]:
        lines = [
            "BEGIN:VEVENT",
            f"UID:{uri_value(self.uid)}",
            f"SEQUENCE:{self.sequence}",
            f"DTSTAMP:{utc_stamp(now)}",
            f"DTSTART:{utc_stamp(self.starts_at)}",
            f"DTEND:{utc_stamp(self.ends_at)}",
            f"SUMMARY:{escape_text(self.summary)}",
        ]
        if self.location:
            lines.append(f"LOCATION:{escape_text(self.location)}")
        if self.description:
            lines.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.url:
            lines.append(f"URL:{uri_value(self.url)}")
        if self.organizer_email:
            cn = f";CN={param_value(self.organizer_name)}" if self.organizer_name else ""
            lines.append(f"ORGANIZER{cn}:mailto:{uri_value(self.organizer_email)}")
        if self.attendee_email:
            cn = f";CN={param_value(self.attendee_name)}" if self.attendee_name else ""
            lines.append(
                f"ATTENDEE{cn};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:"
                f"{uri_value(self.attendee_email)}"
            )
        lines += [f"STATUS:{'CANCELLED' if self.cancelled else 'CONFIRMED'}", "TRANSP:OPAQUE", "END:VEVENT"]
        return lines


def calendar(events: Iterable[VEvent], *, method: str = "", name: str = "", now: datetime | None = None) -> str:
    """A VCALENDAR holding one VEVENT per event, as text with CRLF line ends.

    `method`: "REQUEST" or "CANCEL" for an invitation sent by e-mail; "" for a download or a feed,
    which a calendar simply imports.
    """
    now = now or datetime.now(UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines += event.lines(now=now)
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF


def invitation(*, now: datetime | None = None, **event) -> str:
    """One event sent by e-mail: METHOD:REQUEST, or CANCEL once it is cancelled."""
    vevent = VEvent(**event)
    return calendar([vevent], method="CANCEL" if vevent.cancelled else "REQUEST", now=now)
