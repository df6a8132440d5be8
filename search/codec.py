"""Where indexes written before :mod:`search.storage` find their codec.

Whoosh pickles each segment (with its codec) into an index's table of contents, naming the class
by its module: indexes built before the Whoosh code moved into :mod:`search.storage` name it
``search.codec.ArchiveCodec``. Nothing else should import this module.
"""

from __future__ import annotations

from search.storage.codec import ArchiveCodec

__all__ = ["ArchiveCodec"]
