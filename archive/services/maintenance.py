"""Upkeep: regenerate derivatives, and check that every original is present and intact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from archive.models import Photo
from archive.services.replication import check_replication
from media import MediaError, file_sha256, missing_derivatives, process_original

if TYPE_CHECKING:
    from archive.state import ArchiveState

Echo = Callable[[str], None]


def regenerate_derivatives(state: ArchiveState, *, everything: bool, echo: Echo) -> tuple[int, int]:
    with state.db.session(write=False) as db:
        hashes = sorted(set(db.scalars(select(Photo.sha256))))
    done = failed = 0
    for number, sha256 in enumerate(hashes, 1):
        if not everything and not missing_derivatives(state.derivatives_dir, sha256):
            continue
        path = state.store.local_path(sha256)
        try:
            if path is None or not path.exists():
                raise MediaError("missing_original", "original file is missing")
            process_original(path, state.derivatives_dir, sha256)
            done += 1
        except MediaError as exc:
            failed += 1
            echo(f"  {sha256[:12]}: {exc.message}")
        if number % 50 == 0:
            echo(f"  {number}/{len(hashes)}")
    return done, failed


@dataclass
class CheckReport:
    originals: int = 0
    problems: list[str] = field(default_factory=list)
    missing_derivatives: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        state = "OK" if self.ok else "PROBLEMS"
        return (f"check: {state}: {self.originals} originals verified, {len(self.problems)} problems, "
                f"{self.missing_derivatives} photos lacking derivatives (qiaofang derivatives --missing)")


def check_archive(state: ArchiveState, *, echo: Echo) -> CheckReport:
    report = CheckReport()
    with state.db.session(write=False) as db:
        hashes = sorted(set(db.scalars(select(Photo.sha256))))
    for sha256 in hashes:
        path = state.store.local_path(sha256)
        if path is None or not path.exists():
            report.problems.append(f"original {sha256} is missing")
            continue
        actual = file_sha256(path)
        if actual != sha256:
            report.problems.append(f"original {sha256} is corrupt (its bytes hash to {actual})")
            continue
        report.originals += 1
        if missing_derivatives(state.derivatives_dir, sha256):
            report.missing_derivatives += 1
    report.problems.extend(check_replication(state, echo))  # originals not yet on every replica
    for problem in report.problems:
        echo(f"  {problem}")
    return report
