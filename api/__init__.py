"""HTTP API (FastAPI): thin routes over the coach package."""
