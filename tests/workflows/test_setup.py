import pytest

from tradetrace import storage
from tradetrace.config import Settings
from tradetrace.errors import ConfigurationError
from tradetrace.workflows import setup


def test_prepare_data_dir_creates_missing_directory(tmp_path):
    target = tmp_path / "a" / "b"
    assert setup.prepare_data_dir(Settings(data_dir=target)) == target
    assert target.is_dir()


def test_prepare_data_dir_rejects_unwritable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigurationError, match="is not writable") as caught:
        setup.prepare_data_dir(Settings(data_dir=blocker / "sub"))
    assert caught.value.code == "configuration_error"


@pytest.mark.parametrize(
    ("public_url", "message"),
    [(None, "must be set explicitly"), ("http://x.example", "must be an https:// URL")],
)
def test_production_refuses_unsafe_public_url(tmp_path, public_url, message):
    settings = Settings(data_dir=tmp_path, environment="production", public_url=public_url)
    with pytest.raises(ConfigurationError, match=message):
        setup.check_settings(settings)


def test_production_accepts_https_public_url(tmp_path):
    setup.check_settings(
        Settings(
            data_dir=tmp_path,
            environment="production",
            public_url="https://x.example",
            key_passphrase="a long enough passphrase",
        )
    )


def test_production_refuses_a_missing_or_short_key_passphrase(tmp_path):
    settings = Settings(data_dir=tmp_path, environment="production", public_url="https://x.example")
    with pytest.raises(ConfigurationError, match="key_passphrase: must be set") as caught:
        setup.check_settings(settings)
    assert caught.value.code == "configuration_error"
    with pytest.raises(ConfigurationError, match="at least 16 characters"):
        setup.check_settings(settings.model_copy(update={"key_passphrase": "short"}))


def test_production_refuses_did_web_over_plain_http(tmp_path):
    settings = Settings(
        data_dir=tmp_path,
        environment="production",
        public_url="https://x.example",
        key_passphrase="a long enough passphrase",
        did_web_allow_hosts=("localhost:8001",),
        did_web_insecure_hosts=("localhost:8001",),
    )
    with pytest.raises(ConfigurationError, match="did_web_insecure_hosts: must be empty") as caught:
        setup.check_settings(settings)
    assert caught.value.code == "configuration_error"


def test_open_database_migrates(settings):
    engine = setup.open_database(settings)
    try:
        assert setup.check_database(engine) == storage.head_revision()
    finally:
        engine.dispose()


def test_open_database_reports_unreachable_database(tmp_path):
    settings = Settings(
        data_dir=tmp_path, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    with pytest.raises(ConfigurationError, match="cannot prepare the database"):
        setup.open_database(settings)


def test_check_database_reports_unmigrated(settings):
    engine = setup.open_database(settings, migrate=False)
    try:
        with pytest.raises(
            ConfigurationError, match=f"schema at None, expected {storage.head_revision()}"
        ):
            setup.check_database(engine)
    finally:
        engine.dispose()
