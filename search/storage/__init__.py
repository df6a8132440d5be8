"""Everything of the search package that touches Whoosh, behind a small typed interface.

The rest of :mod:`search` (planning, ranking, facets, snippets, the index API) uses only what this
module exports; no module outside this package imports ``whoosh`` (tests/unit/search/
test_search_fence.py checks). Inside:

* ``codec``: the archive's variant of Whoosh's W3 codec (posting blocks, field lengths);
* ``postings``: reading posting lists block by block, and the cache of frequent ones;
* ``analysis``: the Whoosh analyzer and field types, pickled into each index's schema;
* ``schema``: the Whoosh schema; ``writer``: segment writer, merge policy, parallel builds;
* ``reading``: :class:`Snapshot` and :class:`Segment`, what a search reads an index through;
* ``store``: one generation's index: create, open, lock, write, optimize, build;
* ``stemming``: the Porter stemmer the English terms were indexed with.

Whoosh-Reloaded is pinned exactly (pyproject.toml): the codec and the writer use private parts
of it. The contract of this fence is the differential codec tests (tests/unit/search/
test_search_codec.py): documents written through this package and read back through it must
give what the stock Whoosh writer and reader give. An upgrade of the fork is done here and must
keep them passing.
"""

from __future__ import annotations

from search.storage.analysis import PAIR_COUNT_CAP, PAIR_POSITION_UNIT, PART_GAP, pair_term, part_terms, positions
from search.storage.reading import Segment, Snapshot
from search.storage.stemming import porter_stem
from search.storage.store import READ_ERRORS, Generation, HeldLock, Writer, build, build_many, exists
from search.storage.writer import Loader

__all__ = [
    "PAIR_COUNT_CAP",
    "PAIR_POSITION_UNIT",
    "PART_GAP",
    "READ_ERRORS",
    "Generation",
    "HeldLock",
    "Loader",
    "Segment",
    "Snapshot",
    "Writer",
    "build",
    "build_many",
    "exists",
    "pair_term",
    "part_terms",
    "porter_stem",
    "positions",
]
