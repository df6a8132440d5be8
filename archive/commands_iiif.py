"""`qiaofang iiif-cache`: how big the IIIF image cache is, and pruning or clearing it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

from archive.cli import get_state
from archive.commands import require_schema

if TYPE_CHECKING:
    from media.iiif_render import IIIFImages


def _megabytes(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB"


@click.command("iiif-cache")
@click.option("--prune", is_flag=True, help="Drop images of photos no longer public, then the least "
                                            "recently used ones until the cache fits its limit.")
@click.option("--clear", is_flag=True, help="Remove every cached image (they are remade on demand).")
@with_appcontext
def iiif_cache_command(prune: bool, clear: bool) -> None:
    """Report the IIIF image cache (DATA/iiif-cache, limit QIAOFANG_IIIF_CACHE_MB); prune or clear it."""
    images: IIIFImages = current_app.extensions["qiaofang_iiif"]
    cache = images.cache
    if clear:
        before = cache.usage()
        cache.clear()
        click.echo(f"iiif-cache: cleared {before.files} images ({_megabytes(before.bytes)})")
        return
    if prune:
        from archive.services.iiif import public_sha256s

        require_schema()
        with get_state().db.session(write=False) as db:
            public = public_sha256s(db)
        result = cache.prune(keep=public.__contains__)
        click.echo(f"iiif-cache: removed {result.removed_files} images ({_megabytes(result.removed_bytes)}); "
                   f"{result.kept.files} left ({_megabytes(result.kept.bytes)} of {_megabytes(cache.max_bytes)})")
        return
    usage = cache.usage()
    click.echo(f"iiif-cache: {usage.files} images, {_megabytes(usage.bytes)} of {_megabytes(cache.max_bytes)} "
               f"in {cache.root}")
