"""What the demo's people and captions add to `qiaofang demo`: each phase of a demo load timed in one run.

    python benchmarks/demo_load.py

Loads the demonstration set into a fresh temporary data folder (SQLite) and prints the seconds spent
in the survey import, the photo-folder import and the people-and-captions step, the last beside the
whole load (the baseline is the rest of the same load, in the same process).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(name: str, spent: dict[str, float], function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
    return wrapper


def run(data: Path) -> dict[str, float]:
    from archive import create_app
    from archive.services import demo_load
    from archive.services.setup import initialise
    from archive.state import get_state

    spent: dict[str, float] = {}
    demo_load.apply_survey = _timed("survey", spent, demo_load.apply_survey)  # type: ignore[method-assign]
    demo_load.import_photo_folder = _timed("photos", spent, demo_load.import_photo_folder)  # type: ignore[method-assign]
    demo_load._load_linked = _timed("people+captions", spent, demo_load._load_linked)  # type: ignore[method-assign]
    app = create_app({"DATA": data})
    with app.app_context():
        state = get_state()
        initialise(state)
        started = time.perf_counter()
        demo_load.load_demo(state, lambda _line: None)
        spent["whole load"] = time.perf_counter() - started
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        spent = run(Path(tmp))
    for name, seconds in spent.items():
        print(f"{name:16} {seconds:7.2f} s")
    print(f"people+captions are {100 * spent['people+captions'] / spent['whole load']:.1f}% of the load")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
