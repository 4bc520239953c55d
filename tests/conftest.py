"""Shared fixtures: settings in a temporary directory, a migrated database on SQLite or
PostgreSQL (``--db-url``), an API client, and test assets."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from tradetrace import storage
from tradetrace.api import create_app
from tradetrace.config import Settings

ASSETS = Path(__file__).parent / "assets"
FIXED_NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db-url",
        default=None,
        help="PostgreSQL URL to run the database tests on; each test gets its own schema.",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a database, so the PostgreSQL run can select them (``-m db``)."""
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture
def asset() -> Callable[[str], Path]:
    """A path in tests/assets/."""

    def _asset(name: str) -> Path:
        path = ASSETS / name
        assert path.exists(), f"missing test asset {name}"
        return path

    return _asset


@pytest.fixture(scope="session")
def _postgres_admin(request: pytest.FixtureRequest) -> Iterator[Engine | None]:
    url = request.config.getoption("--db-url")
    if url is None:
        yield None
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


ADMIN_TOKEN = "operator-token-admin"
"""The operator token the ``client`` fixture's node accepts (``TRADETRACE_OPERATOR_TOKENS``)."""
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, _postgres_admin: Engine | None
) -> Iterator[str]:
    """An empty database of its own for this test: a SQLite file, or a PostgreSQL schema."""
    if _postgres_admin is None:
        yield f"sqlite:///{(tmp_path / 'data' / 'tradetrace.db').as_posix()}"
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with _postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    base = request.config.getoption("--db-url")
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with _postgres_admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings for a node whose data directory and database belong to this test."""
    return Settings(data_dir=tmp_path / "data", database_url=database_url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """The test's database, migrated to the newest revision."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = storage.make_engine(settings.effective_database_url)
    storage.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the migrated test database."""
    with storage.make_session_factory(engine)() as session:
        yield session


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The whole application over the test database, with a fixed clock."""
    configured = Settings(
        data_dir=settings.data_dir,
        database_url=settings.database_url,
        operator_tokens={"admin": ADMIN_TOKEN},
    )
    app = create_app(configured, engine=engine, clock=lambda: FIXED_NOW)
    with TestClient(app) as test_client:
        yield test_client
