"""Policy files: validation names file, table and key; unknown keys only warn."""

from __future__ import annotations

from pathlib import Path

import pytest

from contribution_gate.config import CHECK_IDS, discover, load_file, parse
from contribution_gate.errors import ConfigError


def test_every_documented_key_is_accepted() -> None:
    text = """
[checks]
enabled = ["secrets", "internal-urls", "proprietary-markers", "licenses", "cla"]
[secrets]
exclude-paths = ["tests/fixtures/**"]
[internal-urls]
domains = ["corp.example.com", "example.internal"]
[proprietary-markers]
organizations = ["Example Corporation"]
[licenses]
project = "Apache-2.0"
[cla]
mode = "dco"
"""
    config = parse(text, "x.toml")
    assert config.warnings == ()
    assert config.enabled == ("secrets", "internal-urls", "proprietary-markers", "licenses", "cla")
    assert config.table("cla")["mode"] == "dco"


def test_defaults_enable_every_check() -> None:
    assert parse("", "x.toml").enabled == CHECK_IDS


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[secrets]\nexclude-paths = 'tests/**'", "x.toml: [secrets] exclude-paths must be a list of strings"),
        ("[cla]\nmode = 'always'", "x.toml: [cla] mode must be one of"),
        ("[checks]\nenabled = ['secret']", "x.toml: [checks] enabled names unknown checks ['secret']"),
        ("[licenses]\nproject = 3", "x.toml: [licenses] project must be a string"),
        ("secrets = 1", "x.toml: [secrets] must be a table"),
        ("[secrets\n", "x.toml: invalid TOML"),
    ],
)
def test_invalid_values_name_file_table_and_key(text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse(text, "x.toml")
    assert needle in str(error.value)


def test_unknown_keys_and_tables_warn() -> None:
    config = parse("[secrets]\nfoo = 1\n[bogus]\nx = 1\n", "x.toml")
    assert any("unknown key 'foo' in [secrets]" in w for w in config.warnings)
    assert any("unknown table [bogus]" in w for w in config.warnings)


def test_pyproject_tool_table(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n[tool.contribution-gate.secrets]\nexclude-paths = ["a/**"]\n')
    assert load_file(pyproject).table("secrets")["exclude-paths"] == ["a/**"]
    with pytest.raises(ConfigError, match="tool.contribution-gate.cla"):
        parse("[tool.contribution-gate.cla]\nmode = 1\n", "pyproject.toml", pyproject=True)


def test_discover_prefers_own_file_then_pyproject() -> None:
    files = {
        ".contribution-gate.toml": b"[cla]\nmode = 'dco'\n",
        "pyproject.toml": b"[tool.contribution-gate.cla]\nmode = 'cla'\n",
    }
    assert discover(files.get, "base abc").table("cla")["mode"] == "dco"
    assert discover({"pyproject.toml": files["pyproject.toml"]}.get, "base abc").table("cla")["mode"] == "cla"
    assert discover({}.get, "base abc").source == "built-in defaults"


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the config"):
        load_file(tmp_path / "missing.toml")


def test_every_registered_check_loads_under_its_own_id() -> None:
    from contribution_gate.checks import CHECKS, load

    for name in list(CHECKS):
        assert name == load(name).ID
    assert set(CHECKS) == set(CHECK_IDS)
