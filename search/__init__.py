"""Search for the Qiaofang Archive: Chinese (both scripts), English, pinyin and emigrant spellings.

This package knows nothing of the application: the caller builds plain document dicts (the
contract is in :mod:`search.schema`), decides which go into the public and which into the
staff index (two :class:`SearchIndex` objects over two directories with the same schema), feeds
them in, and passes the alias table rows (:func:`load_aliases`).

    index = SearchIndex(data_dir / "index" / "public", aliases=load_aliases(rows))
    if index.health() != "ok":
        index.rebuild(all_public_documents(), progress=print)
    index.replace_house("KP-TK-ZL-001", documents_of_house)   # False: locked, retry later
    results = index.search(SearchQuery("碉楼 Wong", filters={"county": ["开平"]}))

Both indexes can be rebuilt in one pass, reading and analysing each item once, with worker
processes that load their share of the collection themselves (``load(job)`` yields
``(index name, document)`` pairs)::

    rebuild_indexes({"public": public, "staff": staff}, id_ranges, load)

Modules: ``text`` (folding), ``segment`` (jieba and English words), ``schema`` (the document
contract), ``aliases`` and ``pinyin`` (query expansion), ``query`` (parsing), ``plan``, ``docsets``,
``rank``, ``snippets``, ``engine`` (one search), ``segcache`` (per-segment caches), ``index`` (the
public API). Everything that touches Whoosh (codec, postings, writer, the pickled schema, opening,
locking and building an index) is in the ``storage`` subpackage, behind the small interface its
``__init__`` exports; ``analysis`` and ``codec`` only keep the class names older indexes pickled.
"""

from __future__ import annotations

from search.aliases import Alias, AliasTable, load_aliases
from search.index import SearchIndex, rebuild_indexes
from search.results import HouseHit, IndexUnavailableError, ItemHit, SearchQuery, SearchResults
from search.schema import FACETS, DocumentError

__all__ = [
    "FACETS",
    "Alias",
    "AliasTable",
    "DocumentError",
    "HouseHit",
    "IndexUnavailableError",
    "ItemHit",
    "SearchIndex",
    "SearchQuery",
    "SearchResults",
    "load_aliases",
    "rebuild_indexes",
]
