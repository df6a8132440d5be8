"""`search/`, `media/` and `importers/` stand on their own: importing every module of each, in a fresh
interpreter, loads nothing of `archive`, Flask or SQLAlchemy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("archive", "flask", "sqlalchemy")

PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"modules": names, "loaded": loaded}))
"""


@pytest.mark.parametrize("package", ["search", "media", "importers"])
def test_package_imports_nothing_from_the_app(package: str) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, package], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(found["modules"]) >= 3  # the walk really imported the package's modules
    assert [name for name in FORBIDDEN if name in found["loaded"]] == []


def test_the_probe_sees_a_forbidden_import() -> None:
    """The same probe on a package that does import the app reports it (the check can fail)."""
    result = subprocess.run([sys.executable, "-c", PROBE, "archive.web"], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])["loaded"]
    assert "flask" in loaded and "archive" in loaded
