"""The `coach` command: the same pipelines as the API, printed as text or --json."""

import atexit
import gc

# At exit Python's last garbage collection walks every object of the ~1,000 modules a call has loaded: about 0.2 s
# of a 1.3 s `coach search`. Freezing them first skips the walk; objects are still freed and the other exit handlers
# still run (this one, registered first, runs last).
atexit.register(gc.freeze)

from coach.cli import (  # noqa: E402, F401  (each module adds its commands to `app`)
    admin, feedback, main, opportunities, pipelines, plans, rhythm,
)
from coach.cli.common import CliContext, app  # noqa: E402

__all__ = ["CliContext", "app"]
