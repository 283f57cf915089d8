"""One place to render jinja2 files: prompts for the LLM and output documents."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

_HERE = Path(__file__).parent
PROMPTS_DIR = _HERE / "prompts"
TEMPLATES_DIR = _HERE / "templates"


_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_html(value: Any) -> Any:
    """Text with &, < and > escaped, so user text such as `<script>` shows as text wherever a draft is displayed."""
    return value.translate(_HTML) if isinstance(value, str) else value


@lru_cache(maxsize=2)
def _environment(directory: str, escape: bool = False) -> Environment:
    # StrictUndefined: a missing variable is a bug in the caller, never an empty string.
    # Documents (Markdown, e-mail) escape every value they print: Markdown renderers pass raw HTML through, and the
    # notes are the user's text. Quotes stay as typed (they cannot open a tag). Prompts are never escaped.
    return Environment(
        loader=FileSystemLoader(directory),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=escape_html if escape else None,
    )


def render(name: str, **context: Any) -> str:
    """Render the LLM prompt `coach/prompts/<name>.j2`."""
    return _environment(str(PROMPTS_DIR)).get_template(f"{name}.j2").render(**context)


def render_document(name: str, **context: Any) -> str:
    """Render the output document template `coach/templates/<name>.j2` (Markdown, e-mail)."""
    return _environment(str(TEMPLATES_DIR), escape=True).get_template(f"{name}.j2").render(**context)
