"""SVG pictures drawn on the server (no script, no external service): gap bars, an action timeline, path maps.

Every text is escaped; every picture has a title and a description for screen readers, and the pages show the same
facts as a list or table beside it.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from markupsafe import Markup

INK, MUTED, LINE, CURRENT, REQUIRED, DONE = "#1d2430", "#4d5766", "#d5dae1", "#8a94a3", "#1f5fbf", "#1b6b3a"


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> Markup:
    head = (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}-t">{escape(title)}</title>'
            f'<desc id="{ident}-d">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def gap_chart(gaps: list[dict[str, Any]], target: str) -> Markup:
    """Current against required level (0-5) for each competency gap."""
    row, left, scale = 34, 230, 90
    height = 40 + row * max(len(gaps), 1)
    body = [f'<text x="{left}" y="18" fill="{MUTED}">level 0</text>',
            f'<text x="{left + 5 * scale - 40}" y="18" fill="{MUTED}">level 5</text>']
    for level in range(6):
        x = left + level * scale
        body.append(f'<line x1="{x}" y1="24" x2="{x}" y2="{height - 6}" stroke="{LINE}"/>')
    for i, gap in enumerate(gaps):
        y = 30 + i * row
        body.append(f'<text x="8" y="{y + 16}">{escape(_clip(gap["competency"], 30))}</text>')
        body.append(f'<rect x="{left}" y="{y + 2}" width="{gap["required"] * scale}" height="11" fill="{REQUIRED}" '
                    f'rx="2"/>')
        body.append(f'<rect x="{left}" y="{y + 15}" width="{max(gap["current"] * scale, 2)}" height="11" '
                    f'fill="{CURRENT}" rx="2"/>')
        body.append(f'<text x="{left + gap["required"] * scale + 6}" y="{y + 12}" fill="{MUTED}">needs '
                    f'{gap["required"]}</text>')
        body.append(f'<text x="{left + max(gap["current"], 0.02) * scale + 6}" y="{y + 25}" fill="{MUTED}">now '
                    f'{gap["current"]}</text>')
    desc = "; ".join(f"{g['competency']}: now {g['current']}, needs {g['required']}" for g in gaps) or "no gaps"
    return _svg(left + 5 * scale + 80, height, f"Gaps for {target}", desc, body, "gaps")


def timeline(actions: list[dict[str, Any]], check_ins: list[dict[str, Any]], start: date, end: date,
             progress: dict[int, str]) -> Markup:
    """Each action as a bar from its start to its due date (the milestone), check-ins as dashed lines."""
    left, width, row = 250, 560, 30
    span = max((end - start).days, 1)
    height = 50 + row * max(len(actions), 1)

    def x(day: str | date) -> float:
        when = date.fromisoformat(day) if isinstance(day, str) else day
        return left + width * min(max((when - start).days, 0), span) / span

    body = [f'<text x="{left}" y="16" fill="{MUTED}">{start:%b %Y}</text>',
            f'<text x="{left + width - 60}" y="16" fill="{MUTED}">{end:%b %Y}</text>']
    for c in check_ins:
        cx = x(c["date"])
        body.append(f'<line x1="{cx:.1f}" y1="22" x2="{cx:.1f}" y2="{height - 4}" stroke="{MUTED}" '
                    f'stroke-dasharray="3 3"/>')
    for i, a in enumerate(actions):
        y = 28 + i * row
        done = progress.get(i) == "done"
        colour = DONE if done else REQUIRED
        x0, x1 = x(a["start"]), x(a["due"])
        body.append(f'<text x="8" y="{y + 15}">{escape(_clip(a["title"], 32))}</text>')
        body.append(f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 3):.1f}" height="14" rx="3" '
                    f'fill="{colour}" opacity="{0.55 if not done else 0.9}"/>')
        body.append(f'<path d="M{x1:.1f} {y + 2} l7 9 l-7 9 l-7 -9 z" fill="{colour}"/>')
    desc = "; ".join(f"{a['title']}: {a['start']} to {a['due']}" for a in actions)
    desc += ". Check-ins: " + ", ".join(c["date"] for c in check_ins) if check_ins else ""
    return _svg(left + width + 20, height, "Actions over the plan", desc, body, "timeline")


def path_map(current: str, paths: list[dict[str, Any]]) -> Markup:
    """The current role on the left, each path as a row of steps, with each step's two largest gaps."""
    col, row, box_w, box_h = 230, 96, 200, 62
    steps_max = max((len(p["steps"]) for p in paths), default=1)
    width = 20 + col * (steps_max + 1)
    height = 20 + row * max(len(paths), 1)
    mid = height / 2
    body = [f'<rect x="10" y="{mid - box_h / 2}" width="{box_w}" height="{box_h}" rx="8" fill="#eef1f5" '
            f'stroke="{INK}"/>', f'<text x="20" y="{mid + 5}" font-weight="600">{escape(_clip(current, 26))}</text>']
    for i, path in enumerate(paths):
        y = 10 + i * row
        prev_x, prev_y = 10 + box_w, mid
        for j, step in enumerate(path["steps"]):
            bx = 10 + col * (j + 1)
            body.append(f'<line x1="{prev_x}" y1="{prev_y:.1f}" x2="{bx}" y2="{y + box_h / 2:.1f}" stroke="{MUTED}" '
                        f'marker-end="url(#arrow)"/>')
            body.append(f'<rect x="{bx}" y="{y}" width="{box_w}" height="{box_h}" rx="8" fill="#fff" '
                        f'stroke="{REQUIRED}"/>')
            body.append(f'<text x="{bx + 8}" y="{y + 18}" font-weight="600">'
                        f'{escape(_clip(step["role"]["title"], 26))}</text>')
            gaps = ", ".join(f'{g["competency"]} {g["current"]}→{g["required"]}' for g in step["top_gaps"][:2])
            body.append(f'<text x="{bx + 8}" y="{y + 36}" fill="{MUTED}">{escape(step["move"])} · '
                        f'~{step["estimated_months"]:.0f} mo</text>')
            body.append(f'<text x="{bx + 8}" y="{y + 53}" fill="{MUTED}">{escape(_clip(gaps or "no gaps", 30))}</text>')
            prev_x, prev_y = bx + box_w, y + box_h / 2
    marker = (f'<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
              f'orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="{MUTED}"/></marker></defs>')
    desc = "; ".join(" then ".join(s["role"]["title"] for s in p["steps"]) for p in paths) or "no paths"
    return _svg(width, height, f"Career paths from {current}", desc, [marker, *body], "paths")
