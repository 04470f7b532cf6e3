"""Settings: the database URL is a secret, shown by no repr, log or validation error."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from app.core.config import Settings

URL = "postgresql+psycopg://ops:s3cret-pw@db.internal:5432/termsgate"


def test_the_database_url_is_a_secret_that_no_repr_shows() -> None:
    settings = Settings(database_url=URL)
    assert isinstance(settings.database_url, SecretStr)
    assert settings.database_url.get_secret_value() == URL
    for shown in (repr(settings), str(settings), str(settings.model_dump())):
        assert "s3cret-pw" not in shown
        assert "db.internal" not in shown


def test_the_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERMSGATE_DATABASE_URL", URL)
    assert Settings().database_url.get_secret_value() == URL


def test_an_invalid_setting_beside_it_is_told_without_the_url() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(database_url=URL, db_pool_size=0)
    assert "s3cret-pw" not in str(refused.value)
