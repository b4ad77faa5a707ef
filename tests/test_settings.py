"""Settings come from the environment; production refuses to start half-configured."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7#k2p!q9v$w4m8z1r5t0y3u6i-o_p+a=s(d)f*g&h^j%k@l!z",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_off_without_a_secret_key_stops_with_one_line_naming_it():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_malformed_boolean_names_the_variable():
    result = manage("check", **{**PRODUCTION, "DJANGO_EMAIL_USE_TLS": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_EMAIL_USE_TLS" in result.stderr


def test_every_variable_the_settings_read_is_documented():
    read = set(re.findall(r'env_\w+\(\s*"(\w+)"', (ROOT / "acrss" / "settings.py").read_text()))
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert read, "the settings read no variable?"
    assert {name for name in read if f"{name}=" not in example} == set()
    assert {name for name in read if f"`{name}`" not in readme} == set()


def test_debug_off_with_a_short_secret_key_stops_naming_it():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_off_with_the_examples_secret_key_stops_naming_it():
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": example["DJANGO_SECRET_KEY"]})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_trusted_proxies_need_a_proxy():
    result = manage("check", **{**PRODUCTION, "ACRSS_TRUSTED_PROXIES": "1"})
    assert result.returncode != 0
    assert "ACRSS_TRUSTED_PROXIES" in result.stderr
    behind = {**PRODUCTION, "DJANGO_BEHIND_HTTPS_PROXY": "1", "ACRSS_TRUSTED_PROXIES": "1"}
    assert manage("check", **behind).returncode == 0


def test_the_old_name_of_the_trusted_proxies_stops_naming_the_new_one():
    result = manage("check", **{**PRODUCTION, "ALLAUTH_TRUSTED_PROXY_COUNT": "1"})
    assert result.returncode != 0
    assert "ACRSS_TRUSTED_PROXIES" in result.stderr


def test_a_backup_key_that_is_not_32_bytes_of_base64_stops_naming_it():
    result = manage("check", **{**PRODUCTION, "ACRSS_BACKUP_KEY": "my-password"})
    assert result.returncode != 0
    assert "ACRSS_BACKUP_KEY must be 32 random bytes in base64" in result.stderr
