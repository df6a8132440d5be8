"""The Whoosh schema of both indexes; Whoosh pickles it into each index's table of contents."""

from __future__ import annotations

from whoosh import columns, fields

from search.storage.analysis import ArchiveText, PairText


def build_schema() -> fields.Schema:
    """The schema shared by the public and the staff index.

    Facet values are not indexed as terms: filters and facet counts read the packed ``meta``
    column into per-segment arrays (see :mod:`search.segcache`), which costs nothing per
    document at index time and keeps the text fields (``text``, ``name`` and the adjacent pairs
    of ``text`` in ``pairs``) the only postings written.
    """
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        house_code=fields.ID(stored=True),
        type=fields.STORED(),
        house_name=fields.STORED(),
        title=fields.STORED(),
        body=fields.STORED(),
        url_hint=fields.STORED(),
        date_year=fields.STORED(),
        text=ArchiveText(),
        name=ArchiveText(),
        pairs=PairText(),
        meta=fields.COLUMN(columns.VarBytesColumn()),
    )
