"""`qiaofang --help` (and each command's --help) loads no search, image, spreadsheet or pinyin stack.

Checked the way `python -X importtime` reports it: every module the interpreter imported is one
line on stderr. Speed itself is measured in benchmarks/cli_start.py, not asserted here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("jieba", "whoosh", "numpy", "PIL", "pypinyin", "opencc", "openpyxl", "ToJyutping", "lxml", "boto3",
         "search")


def imported_modules(*args: str) -> tuple[set[str], str]:
    """The top-level package names `python -X importtime -m archive.cli ARGS` imported, and stdout."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "archive.cli", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        # "import time: self [us] | cumulative | imported package"
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    assert "archive.cli" in names or "archive" in names, "importtime printed nothing: the parser is wrong"
    return names, done.stdout


def heavy_in(names: set[str]) -> list[str]:
    return sorted(n for n in names if n.split(".")[0] in HEAVY or n.startswith("archive.web"))


def test_help_loads_no_heavy_stack() -> None:
    names, out = imported_modules("--help")
    assert "Qiaofang Archive" in out and "import" in out and "serve" in out  # the commands are listed
    assert {"flask", "click"} <= names  # the parser sees what was imported
    assert heavy_in(names) == []
    # Listing the commands must not build the app (it would import every view and service), nor
    # open its state (the database, media and search wiring): the commands import it when they run.
    assert not names & {"archive.services.searching", "archive.state", "archive.db", "archive.models"}


@pytest.mark.parametrize("command", [
    "import", "import sheet", "import photos", "serve", "demo", "reindex", "export", "derivatives", "check",
    "backup", "restore", "fixity", "gazetteer", "iiif-cache", "replicate", "oai-sync", "user", "user add",
    "token", "init",
])
def test_command_help_loads_no_heavy_stack(command: str) -> None:
    names, out = imported_modules(*command.split(), "--help")
    assert f"qiaofang {command}" in out.replace("python -m archive.cli", "qiaofang")
    assert heavy_in(names) == []


def test_a_heavy_import_would_be_seen() -> None:
    """The check is real: a command that does load the image stack is reported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import archive.cli, media; media.dhash"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    names = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "PIL" in heavy_in(names)
