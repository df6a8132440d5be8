"""Upkeep: regenerate derivatives, and check that every original is present and intact, every
derivative a sound JPEG of the size the rules give, and no temporary file left behind (uploads,
derivative writes, search index writers).

``check`` reads every original in full (as ``fixity`` does, without recording a run); a problem of
any kind, derivatives included, makes it fail. Temporary files younger than a day may belong to
an upload or a derivative write under way and are only counted; older ones were left by a killed
process, are a problem, and ``check --repair`` removes them.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from archive.models import Photo
from archive.services.replication import check_replication
from archive.services.workers import run_in_workers
from media import (
    DERIVATIVE_SIZES,
    LocalStore,
    MediaError,
    derivative_path,
    derivative_problem,
    derivative_temporary_files,
    process_original,
)
from media.fixity import BUFFER_SIZE, check_blob

if TYPE_CHECKING:
    from archive.state import ArchiveState

Echo = Callable[[str], None]
STALE_SECONDS = 24 * 3600


def derivative_sources(state: ArchiveState) -> dict[str, tuple[int, int] | None]:
    """{sha256: displayed size} of every original that should have derivatives (damaged ones have none)."""
    with state.db.session(write=False) as db:
        rows = db.execute(select(Photo.sha256, func.max(Photo.width), func.max(Photo.height))
                          .where(Photo.damaged.is_(False)).group_by(Photo.sha256))
        return {sha256: (width, height) if width and height else None for sha256, width, height in rows}


def bad_derivatives(state: ArchiveState, sha256: str, displayed: tuple[int, int] | None) -> dict[str, str]:
    """{name: problem} for each derivative of ``sha256`` that must not be served as it is."""
    return _bad_derivatives(state.derivatives_dir, sha256, displayed)


def _bad_derivatives(derivatives_dir: Path, sha256: str, displayed: tuple[int, int] | None) -> dict[str, str]:
    problems = {}
    for name in DERIVATIVE_SIZES:
        problem = derivative_problem(derivative_path(derivatives_dir, sha256, name), name, displayed)
        if problem is not None:
            problems[name] = problem
    return problems


# Per-process state of the regeneration workers, set once by the pool initializer.
_store = LocalStore(Path())
_derivatives = Path()


def _init_regeneration(store_root: Path, derivatives_dir: Path) -> None:
    global _store, _derivatives
    _store, _derivatives = LocalStore(store_root), derivatives_dir


@dataclass(frozen=True)
class Regenerated:
    sha256: str
    made: bool  # False: nothing needed remaking, or it failed (then ``failure`` says why)
    failure: str | None = None


def _regenerate_one(task: tuple[str, tuple[int, int] | None, bool]) -> Regenerated:
    """Worker: remake the derivatives of one original that need it. Never from an original whose
    bytes no longer hash to its name: a damaged original would make damaged pictures. Each
    derivative is written atomically (media.derivatives), so a killed worker leaves no half file."""
    sha256, displayed, everything = task
    names = list(DERIVATIVE_SIZES) if everything else list(_bad_derivatives(_derivatives, sha256, displayed))
    if not names:
        return Regenerated(sha256, made=False)
    try:
        original = check_blob(_store, sha256, None)
        if original.problem is not None:
            raise MediaError(f"original_{original.problem}", f"the original is {original.problem}; "
                             "run `qiaofang fixity --repair` first")
        process_original(_store.path_for(sha256), _derivatives, sha256, names=names)
    except MediaError as exc:  # this photo fails; the others go on
        return Regenerated(sha256, made=False, failure=exc.message)
    return Regenerated(sha256, made=True)


def regenerate_derivatives(state: ArchiveState, *, everything: bool, echo: Echo,
                           workers: int | None = None) -> tuple[int, int]:
    """Remake derivatives: every one, or (``everything=False``) those missing or bad, in ``workers``
    processes (default: one per core). Returns (photos remade, photos failed); each failure is echoed."""
    sources = derivative_sources(state)
    tasks = [(sha256, displayed, everything) for sha256, displayed in sorted(sources.items())]
    done = failed = 0
    results = run_in_workers(_regenerate_one, tasks, workers=workers, initializer=_init_regeneration,
                             initargs=(Path(state.store.root), state.derivatives_dir))
    for number, result in enumerate(results, 1):
        if result.failure is not None:
            failed += 1
            echo(f"  {result.sha256[:12]}: {result.failure}")
        elif result.made:
            done += 1
        if number % 50 == 0:
            echo(f"  {number}/{len(sources)}")
    return done, failed


@dataclass
class CheckReport:
    originals: int = 0
    problems: list[str] = field(default_factory=list)
    derivative_problems: int = 0
    temporary_files: int = 0
    stale_temporary_files: int = 0
    removed_temporary_files: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        state = "OK" if self.ok else "PROBLEMS"
        removed = f", {self.removed_temporary_files} removed" if self.removed_temporary_files else ""
        return (f"check: {state}: {self.originals} originals verified, {len(self.problems)} problems, "
                f"{self.derivative_problems} derivatives missing or bad (qiaofang derivatives --missing), "
                f"{self.temporary_files} temporary files ({self.stale_temporary_files} older than a day{removed})")


def check_archive(state: ArchiveState, *, echo: Echo, repair: bool = False) -> CheckReport:
    report = CheckReport()
    with state.db.session(write=False) as db:
        hashes = sorted(set(db.scalars(select(Photo.sha256))))
    buffer = bytearray(BUFFER_SIZE)
    for sha256 in hashes:
        result = check_blob(state.store, sha256, None, buffer=buffer)
        if result.problem == "changed":
            report.problems.append(f"original {sha256} is corrupt ({result.detail})")
        elif result.problem is not None:
            report.problems.append(f"original {sha256} is {result.problem} ({result.detail})")
        else:
            report.originals += 1
    _check_derivatives(state, report)
    _check_temporary_files(state, report, repair=repair)
    report.problems.extend(check_replication(state, echo))  # originals not yet on every replica
    for problem in report.problems:
        echo(f"  {problem}")
    return report


def _check_derivatives(state: ArchiveState, report: CheckReport) -> None:
    for sha256, displayed in sorted(derivative_sources(state).items()):
        for name, problem in bad_derivatives(state, sha256, displayed).items():
            report.derivative_problems += 1
            report.problems.append(f"derivative {name} of {sha256} is {problem.replace('_', ' ')}")


def _check_temporary_files(state: ArchiveState, report: CheckReport, *, repair: bool) -> None:
    """Count the temporary files of the store and of derivative writes; the stale ones are a
    problem unless ``repair`` removes them."""
    cutoff = time.time() - STALE_SECONDS
    files = (state.store.temporary_files() + derivative_temporary_files(state.derivatives_dir)
             + index_temporary_folders(state.index_dir))
    stale = [path for path in files if _modified(path) < cutoff]
    report.temporary_files = len(files)
    report.stale_temporary_files = len(stale)
    if repair:
        report.removed_temporary_files = state.store.remove_stale_temporary_files(STALE_SECONDS)
        for path in stale:
            if path.parent == state.store.root / ".tmp":
                continue  # removed just above
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            report.removed_temporary_files += 1
    else:
        report.problems.extend(f"temporary file {path} is older than a day (check --repair removes it)"
                               for path in stale)


def index_temporary_folders(index_dir: Path) -> list[Path]:
    """The private temporary folders of search index writers (``index/<name>/<random>.tmp``,
    search/storage/writer.py); a writer removes its own when it finishes, a killed one cannot."""
    if not index_dir.is_dir():
        return []
    return sorted(p for p in index_dir.glob("*/*.tmp") if p.is_dir())


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # finished (renamed) since it was listed
        return time.time()
