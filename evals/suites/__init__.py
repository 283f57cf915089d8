"""Eval suites. Each module exposes `run(limit: int | None = None) -> SuiteResult`."""
