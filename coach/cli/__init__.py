"""The `coach` command: the same pipelines as the API, printed as text or --json."""

from coach.cli import admin, feedback, main, pipelines  # noqa: F401  (each module adds its commands to `app`)
from coach.cli.common import CliContext, app

__all__ = ["CliContext", "app"]
