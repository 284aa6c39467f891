"""docs/dashboard.md stays true: settings, vendored asset versions, screenshots."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "dashboard.md"
VENDOR = ROOT / "src" / "factledger" / "web" / "static" / "vendor"


def test_every_setting_is_documented():
    from factledger.web.settings import SETTINGS

    doc = DOC.read_text(encoding="utf-8")
    for name, var, _default, _help in SETTINGS:
        assert f"| {name} | `{var}` |" in doc, name


def test_vendored_assets_have_licences_and_documented_versions():
    versions = json.loads((VENDOR / "VERSIONS.json").read_text(encoding="utf-8"))
    doc = DOC.read_text(encoding="utf-8")
    for name, info in versions.items():
        folder = VENDOR / name
        assert any(p.name.startswith("LICENSE") for p in folder.iterdir()), f"{name} has no LICENSE file"
        assert f"| {name} | {info['version']} | {info['license']} |" in doc, name
    script = (ROOT / "scripts" / "vendor-assets.sh").read_text(encoding="utf-8")
    for name, info in versions.items():
        assert f'["{name}@{info["version"]}"]' in script, name


def test_templates_only_load_vendored_assets():
    templates = (ROOT / "src" / "factledger" / "web" / "templates").glob("*.html")
    for template in templates:
        for url in re.findall(r'(?:src|href)="([^"{]+)"', template.read_text(encoding="utf-8")):
            assert url.startswith(("/", "#", "data:")), f"{template.name} loads {url}"


def test_screenshots_in_the_doc_exist():
    doc = DOC.read_text(encoding="utf-8")
    shots = re.findall(r"\]\((screenshots/[^)]+\.png)\)", doc)
    assert len(shots) >= 8
    for shot in shots:
        assert (DOC.parent / shot).is_file(), shot
