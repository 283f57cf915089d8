"""Alembic environment, run in code by Store.migrate() (no alembic.ini): it reuses the Store's connection.

A new revision after changing models.py (against a database at head):
    python -c "from alembic.config import Config; from alembic import command; c = Config();
    c.set_main_option('script_location', 'coach/store/migrations');
    c.set_main_option('sqlalchemy.url', 'sqlite:///.coach/coach.db');
    command.revision(c, message='what changed', autogenerate=True)"
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from coach.store.models import Base


def run_migrations() -> None:
    """Upgrade over the connection the Store passes in, or a URL set on the Config (e.g. from the alembic CLI)."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:  # noqa: ANN001 - a sqlalchemy Connection
    # Batch mode: SQLite cannot ALTER most constraints, so alembic copies tables instead.
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run `coach setup-local` or Store.migrate()")
run_migrations()
