"""Whoosh stays behind the storage fence: only `search/storage/` imports it (an AST scan of the
sources), and indexes written before the fence, which name its classes by their old modules in
their pickled schema and segments, still find them."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

SEARCH = Path(__file__).resolve().parents[3] / "search"
STORAGE = SEARCH / "storage"


def whoosh_imports(path: Path) -> list[str]:
    """``file:line`` of each import of whoosh (or of a module under it) in one source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(name == "whoosh" or name.startswith("whoosh.") for name in names):
            found.append(f"{path.relative_to(SEARCH.parent)}:{node.lineno}")
    return found


def test_only_the_storage_package_imports_whoosh() -> None:
    outside = [path for path in SEARCH.rglob("*.py") if STORAGE not in path.parents]
    assert len(outside) > 10  # the scan really sees the package
    assert [hit for path in sorted(outside) for hit in whoosh_imports(path)] == []


def test_the_scan_sees_an_import_of_whoosh() -> None:
    """The same scan over the storage package finds its imports (the check can fail)."""
    hits = [hit for path in sorted(STORAGE.rglob("*.py")) for hit in whoosh_imports(path)]
    assert any(hit.startswith("search/storage/codec.py:") for hit in hits)
    assert any(hit.startswith("search/storage/stemming.py:") for hit in hits)


def test_classes_pickled_under_their_old_modules_still_load() -> None:
    from search.storage.analysis import ArchiveAnalyzer, ArchiveText, PairText
    from search.storage.codec import ArchiveCodec

    for module, cls in [("search.analysis", ArchiveText), ("search.analysis", PairText),
                        ("search.analysis", ArchiveAnalyzer), ("search.codec", ArchiveCodec)]:
        # A pickle's reference to a class is its module and name (protocol 0 spells them out).
        assert pickle.loads(f"c{module}\n{cls.__name__}\n.".encode()) is cls
        # And the field objects of an existing index's schema unpickle under the old names.
        instance = cls()
        dumped = pickle.dumps(instance, protocol=0).replace(cls.__module__.encode(), module.encode())
        assert type(pickle.loads(dumped)) is cls
