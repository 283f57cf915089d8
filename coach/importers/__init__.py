"""Importers that turn existing career frameworks (Markdown ladders, spreadsheet exports) into Coach's knowledge format."""

from coach.importers.common import BadRow, ImportReport
from coach.importers.ladder_csv import import_csv_ladder
from coach.importers.ladder_md import import_markdown_ladder

__all__ = ["BadRow", "ImportReport", "import_csv_ladder", "import_markdown_ladder"]
