"""Where indexes written before :mod:`search.storage` find their field classes.

Whoosh pickles the schema into an index's table of contents, naming each class by its module:
indexes built before the Whoosh code moved into :mod:`search.storage` name these
``search.analysis.*``. Nothing else should import this module.
"""

from __future__ import annotations

from search.storage.analysis import ArchiveAnalyzer, ArchiveText, PairText

__all__ = ["ArchiveAnalyzer", "ArchiveText", "PairText"]
