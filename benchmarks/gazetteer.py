"""What the gazetteer costs a page: places and descriptive text in the reader's language.

What it measures: the median time of GET requests (Flask's test client, no network) for the
gallery, a search with facets and a house page, in English, 繁體 and 简体, on the demonstration
data set (86 houses, 672 records; 110+ gazetteer entries). The baseline, in the same run, is the
same pages with the gazetteer's template helpers swapped for ones that return the stored text
unchanged (what the pages showed before: no table read, no OpenCC, no pinyin).

Run from the repository root, in the virtualenv:

    python -m benchmarks.gazetteer                 # builds the demo in a temporary folder
    python -m benchmarks.gazetteer --data /tmp/gzdemo --rounds 40
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from markupsafe import escape

PAGES = ("/", "/search?q=碉楼", "/houses/{code}")
LANGS = ("en", "zh_Hant", "zh_Hans")


def _plain_helpers() -> dict[str, Any]:
    return {
        "place": lambda name, kind="village": name or "",
        "place_tagged": lambda name, kind="village", chinese_beside=False: escape(name or ""),
        "zh": lambda text: text or "",
    }


def _time_ms(client: Any, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def run(data: Path, rounds: int) -> None:
    """Each round times the page with the gazetteer and then without, so machine load hits both alike."""
    from sqlalchemy import select

    from archive import create_app
    from archive.models import House

    app = create_app({"DATA": str(data), "SEARCH_SYNC": True})
    with app.app_context():
        from archive.state import get_state

        with get_state().db.session(write=False) as db:
            code = db.scalar(select(House.code).where(House.published.is_(True)).order_by(House.code))
    client = app.test_client()
    real = {name: app.jinja_env.globals[name] for name in ("place", "place_tagged", "zh")}
    plain = _plain_helpers()
    for lang in LANGS:
        for page in PAGES:
            url = page.format(code=code) + ("&" if "?" in page else "?") + f"lang={lang}"
            client.get(url)  # warm caches, as a running server has them
            with_gazetteer, baseline = [], []
            for _ in range(rounds):
                app.jinja_env.globals.update(real)
                with_gazetteer.append(_time_ms(client, url))
                app.jinja_env.globals.update(plain)
                baseline.append(_time_ms(client, url))
            print(f"{lang:8} {page:16} gazetteer {statistics.median(with_gazetteer):6.1f} ms   "
                  f"baseline {statistics.median(baseline):6.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a data folder with the demo loaded (default: build one)")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    if args.data:
        run(args.data, args.rounds)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        qiaofang = [sys.executable, "-c", "from archive.cli import main; main()", "--data", tmp]
        subprocess.run([*qiaofang, "init"], check=True, capture_output=True)
        subprocess.run([*qiaofang, "demo", "--no-serve"], check=True, capture_output=True)
        run(Path(tmp), args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
