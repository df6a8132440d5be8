"""What the workers need is loaded before the fork, so forked workers start with it (each check
runs in a fresh interpreter: the test process itself may have loaded everything already)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def plugins_loaded(_task: int) -> int:
    """In a pool worker, before it opens any image: Pillow's plugin state (2 = all loaded)."""
    from PIL import Image

    return int(Image._initialized)


def no_setup() -> None:
    pass


def fresh(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


POOL = """
from archive.services.workers import run_in_workers
from tests.unit.test_worker_preload import no_setup, plugins_loaded
print(sorted(set(run_in_workers(plugins_loaded, [1, 2, 3, 4], workers=2, initializer=no_setup{extra}))))
"""


def test_pool_workers_start_with_pillow_plugins_loaded() -> None:
    assert fresh(POOL.format(extra="")) == "[2]"
    assert fresh(POOL.format(extra=", preload=None")) == "[0]"  # without it, each worker loads them itself


def test_web_workers_are_forked_with_the_analysis_tables_loaded() -> None:
    out = fresh("""
import os
from archive.services.workers import preload_web_workers
import search.segment as segment
from search.text import fold_table
assert segment._tokenizer is None and fold_table.cache_info().currsize == 0
preload_web_workers()
pid = os.fork()
if pid == 0:  # a forked worker: jieba's dictionary and the folding table are already there
    os._exit(0 if segment._tokenizer is not None and fold_table.cache_info().currsize == 1 else 1)
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
""")
    assert out == "0"
