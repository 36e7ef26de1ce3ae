"""Settings: declared once, read from flags, FOLLOWUP_* variables and a TOML file, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.config import SETTINGS, Settings
from followup.errors import ConfigError


def test_precedence_flag_then_environment_then_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('tz = "Europe/Berlin"\ncountry = "DE"\ndb = "/from/file.sqlite3"\n')
    env = {"FOLLOWUP_CONFIG": str(config), "FOLLOWUP_COUNTRY": "gb"}
    settings = Settings.load(env=env, overrides={"db": "/from/flag.sqlite3"})
    assert (settings.db, settings.tz, settings.country) == ("/from/flag.sqlite3", "Europe/Berlin", "GB")


def test_defaults_use_the_xdg_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = Settings.load(env={"FOLLOWUP_CONFIG": str(tmp_path / "none.toml")})
    assert settings.db == str(tmp_path / "data" / "followup" / "followup.sqlite3")
    assert settings.country == "US"


def test_a_bad_value_names_where_it_came_from(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.load(env={"FOLLOWUP_CONFIG": str(tmp_path / "x.toml"), "FOLLOWUP_TZ": "Mars/Base"})
    assert error.value.message.startswith("FOLLOWUP_TZ: ")
    assert "America/Chicago" in (error.value.hint or "")


def test_a_broken_or_unknown_config_file_is_reported_with_its_name(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('tz = "Europe/Berlin\n')
    with pytest.raises(ConfigError) as error:
        Settings.load(env={"FOLLOWUP_CONFIG": str(config)})
    assert str(config) in error.value.message
    config.write_text('timezone = "Europe/Berlin"\n')
    with pytest.raises(ConfigError) as unknown:
        Settings.load(env={"FOLLOWUP_CONFIG": str(config)})
    assert "unknown setting 'timezone'" in unknown.value.message
    assert "tz" in (unknown.value.hint or "")


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme, setting.name
        assert f"`{setting.env}`" in readme, setting.env
        assert setting.help
