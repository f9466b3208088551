"""LRS settings: --endpoint, environment variables, config file; credentials never on the command line."""

from __future__ import annotations

import base64

import pytest

from ece_scorm.lrs.config import LrsConfigError, load_config

ENV_KEYS = ("ECE_LRS_ENDPOINT", "ECE_LRS_USERNAME", "ECE_LRS_PASSWORD", "ECE_LRS_AUTH")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return monkeypatch


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_environment_variables(clean_env):
    clean_env.setenv("ECE_LRS_ENDPOINT", "https://lrs.example.org/xapi")
    clean_env.setenv("ECE_LRS_USERNAME", "key")
    clean_env.setenv("ECE_LRS_PASSWORD", "sécret")
    config = load_config()
    assert config.endpoint == "https://lrs.example.org/xapi/"
    assert config.auth == _basic("key", "sécret")
    assert "sécret" not in repr(config) and "key" not in repr(config).replace("auth", "")


def test_auth_header_wins_over_username(clean_env):
    clean_env.setenv("ECE_LRS_ENDPOINT", "https://lrs.example.org/xapi/")
    clean_env.setenv("ECE_LRS_AUTH", "Bearer abc")
    clean_env.setenv("ECE_LRS_USERNAME", "key")
    clean_env.setenv("ECE_LRS_PASSWORD", "pw")
    assert load_config().auth == "Bearer abc"


def test_default_config_file_and_precedence(clean_env, tmp_path):
    path = tmp_path / "xdg" / "ece-scorm" / "lrs.toml"
    path.parent.mkdir(parents=True)
    path.write_text('endpoint = "https://file.example.org/xapi/"\nusername = "f"\npassword = "p"\n')
    config = load_config()
    assert config.endpoint == "https://file.example.org/xapi/" and config.auth == _basic("f", "p")
    clean_env.setenv("ECE_LRS_ENDPOINT", "https://env.example.org/xapi/")
    assert load_config().endpoint == "https://env.example.org/xapi/"
    assert load_config("https://option.example.org/xapi/").endpoint == "https://option.example.org/xapi/"


def test_missing_endpoint_says_where_to_put_it():
    with pytest.raises(LrsConfigError, match="ECE_LRS_ENDPOINT"):
        load_config()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('endpoint = "https://x/xapi/"\nusername = \n', "invalid TOML"),
        ("endpoint = 42\n", "'endpoint' must be a string"),
        ('endpoint = "ftp://x/xapi/"\n', "must be an http(s) URL"),
        ('endpoint = "https://x/xapi/?a=b"\n', "query or fragment"),
        ('endpoint = "https://x/xapi/"\nusername = "u"\n', "'password' is not"),
    ],
)
def test_bad_config_file(tmp_path, text, message):
    path = tmp_path / "lrs.toml"
    path.write_text(text)
    with pytest.raises(LrsConfigError) as err:
        load_config(config_path=path)
    assert message in err.value.message and str(path) in err.value.message


def test_invalid_toml_reports_line(tmp_path):
    path = tmp_path / "lrs.toml"
    path.write_text('endpoint = "https://x/xapi/"\nusername = \n')
    with pytest.raises(LrsConfigError, match=r"line 2"):
        load_config(config_path=path)


def test_explicit_missing_config_file(tmp_path):
    with pytest.raises(LrsConfigError, match="not found"):
        load_config(config_path=tmp_path / "nope.toml")


def test_warns_when_credentials_file_is_readable_by_others(tmp_path, capsys):
    path = tmp_path / "lrs.toml"
    path.write_text('endpoint = "https://x.example.org/xapi/"\npassword = "p"\nusername = "u"\n')
    path.chmod(0o644)
    load_config(config_path=path)
    assert "chmod 600" in capsys.readouterr().err
    path.chmod(0o600)
    load_config(config_path=path)
    assert capsys.readouterr().err == ""
