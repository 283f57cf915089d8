"""A minimal RFC 5545 writer: all-day events in a VCALENDAR, with text escaping and 75-octet line folding."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from pydantic import BaseModel, Field

PRODID = "-//Coach//Career conversations//EN"
MAX_OCTETS = 75  # RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the CRLF


class Event(BaseModel):
    """One all-day calendar event."""

    uid: str = Field(description="Globally unique and stable across feeds, so a calendar updates instead of adding.")
    day: date
    summary: str
    description: str = ""


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, and line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """The content line folded into CRLF + space continuations of at most 75 octets, never inside a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = [], 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # a continuation starts with one space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def render(events: list[Event], *, name: str, now: datetime | None = None) -> str:
    """The VCALENDAR text, CRLF line ends, every line folded."""
    stamp = _stamp(now or datetime.now(timezone.utc))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}"]
    for event in sorted(events, key=lambda e: (e.day, e.uid)):
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",  # all-day: the end is exclusive
                  f"SUMMARY:{escape_text(event.summary)}", "TRANSP:TRANSPARENT"]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
