"""The `coach` command: the same pipelines as the API, printed as text or --json."""

from coach.cli import (  # noqa: F401  (each module adds its commands to `app`)
    admin, feedback, main, opportunities, pipelines, plans, rhythm,
)
from coach.cli.common import CliContext, app

__all__ = ["CliContext", "app"]
