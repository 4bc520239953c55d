import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from tradetrace.config import Settings


def test_settings_default_database_is_sqlite_in_data_dir(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite:///{tmp_path.as_posix()}/tradetrace.db"


def test_settings_read_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TRADETRACE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRADETRACE_DATABASE_URL", "postgresql+psycopg://u@h/db")
    settings = Settings()
    assert settings.data_dir == Path(tmp_path)
    assert settings.effective_database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "foo://x", "not a url"])
def test_settings_reject_unsupported_database_scheme(url):
    with pytest.raises(ValidationError, match="unsupported database URL scheme"):
        Settings(database_url=url)


def test_settings_public_url_defaults_to_host_and_port():
    assert Settings(host="0.0.0.0", port=9000).effective_public_url == "http://localhost:9000"
    assert Settings(host="trade.example", port=80).effective_public_url == "http://trade.example:80"
    assert Settings(port=8443).did_web_host == "localhost%3A8443"
    assert Settings(public_url="https://x.example/").effective_public_url == "https://x.example"


def test_settings_reject_unknown_field():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Settings(colour="blue")


def test_every_setting_is_documented():
    docs = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text()
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"
        assert f"TRADETRACE_{name.upper()}" in docs, f"setting {name} missing from the docs"


@pytest.mark.parametrize(("cpus", "workers"), [(1, 0), (2, 2), (3, 3), (16, 4)])
def test_capture_workers_default_to_one_per_cpu(monkeypatch, cpus, workers):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cpus)), raising=False)
    assert Settings().effective_capture_workers == workers
    assert Settings(capture_workers=0).effective_capture_workers == 0
    assert Settings(capture_workers=7).effective_capture_workers == 7


def test_capture_workers_cannot_be_negative():
    with pytest.raises(ValidationError):
        Settings(capture_workers=-1)
