"""Fuzzing every endpoint with bodies generated from the OpenAPI schema: never a server error.

Building the generated cases takes about 7 s at collection, so this file is not collected at all when slow tests
are deselected (`make test-fast`; see pytest_ignore_collect in conftest.py). It runs in `make test`.
"""

from __future__ import annotations

import zlib
from typing import Any

import pytest

from api.main import create_app
from coach.settings import Settings
from tests.conftest import KNOWLEDGE_DIR
from tests.servers import RunningApi
from tests.test_reliability import live, rel_store, rel_tokens  # noqa: F401 - the live server and its tokens

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase  # noqa: E402
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error  # noqa: E402

# The schema comes from the app factory at import (no lifespan runs, so nothing is loaded); requests go to `live`.
# (schemathesis.pytest.from_fixture would load it from the live server, but its lazy loader breaks on pytest 9.)
schema = schemathesis.openapi.from_dict(
    create_app(Settings(knowledge_dir=KNOWLEDGE_DIR, _env_file=None)).openapi())


ROLE_FIELDS = ("role", "current_role", "target_role")
REAL_ROLES = ("data-analyst", "senior-software-engineer", "engineering-manager", "product-manager")


@pytest.mark.slow  # every endpoint, 15 generated bodies each: a minute
@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
def test_fuzz_never_a_server_error(case: Any, live: RunningApi) -> None:  # noqa: F811 - the imported fixture
    # Random text never names a role, so every pipeline would stop at role resolution (422); for half the cases a
    # real role id goes in, so the fuzzed ratings, dates, counts and texts reach the rules engine and the store.
    if isinstance(case.body, dict) and zlib.crc32(repr(case.body).encode()) % 2:
        for n, field in enumerate(f for f in ROLE_FIELDS if f in case.body):
            case.body[field] = REAL_ROLES[n % len(REAL_ROLES)]
    case.call_and_validate(base_url=live.base_url, headers={"Authorization": f"Bearer {live.tokens['admin']}"},
                           checks=[not_a_server_error], timeout=60)


