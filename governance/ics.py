"""Calendar invitations (iCalendar, RFC 5545) written by hand: the format is small and a library
would be one more dependency for twenty lines.

What matters for calendar clients: CRLF line ends, lines folded at 75 octets without cutting a
UTF-8 character, TEXT values escaped (backslash, semicolon, comma, newline), a stable UID per
meeting and a SEQUENCE bumped at each new sending so the event is updated, not duplicated.
"""

from __future__ import annotations

from datetime import UTC, datetime

CRLF = "\r\n"
PRODID = "-//Guichet unique sante//Gouvernance//FR"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value (e.g. CN=): quoted when it holds ':' ';' or ','; DQUOTE and controls are not allowed."""
    cleaned = "".join(ch for ch in value if ch != '"' and (ch == "\t" or ord(ch) >= 0x20))
    return f'"{cleaned}"' if any(ch in cleaned for ch in ":;,") else cleaned


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines starting with a space."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size = [" "], 1
            limit = 75
        current.append(char)
        size += width
    chunks.append("".join(current))
    return CRLF.join(chunks)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_invitation(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    organizer_name: str = "",
    organizer_email: str = "",
    attendee_name: str = "",
    attendee_email: str = "",
    cancelled: bool = False,
    now: datetime | None = None,
) -> str:
    """One VEVENT in a VCALENDAR with METHOD:REQUEST (or CANCEL), as text with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{utc_stamp(now or datetime.now(UTC))}",
        f"DTSTART:{utc_stamp(starts_at)}",
        f"DTEND:{utc_stamp(ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    if organizer_email:
        cn = f";CN={param_value(organizer_name)}" if organizer_name else ""
        lines.append(f"ORGANIZER{cn}:mailto:{organizer_email}")
    if attendee_email:
        cn = f";CN={param_value(attendee_name)}" if attendee_name else ""
        lines.append(f"ATTENDEE{cn};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{attendee_email}")
    lines += [
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return CRLF.join(fold(line) for line in lines) + CRLF
