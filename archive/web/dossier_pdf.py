"""The dossier page as PDF, drawn by WeasyPrint from the same HTML and its print stylesheet.

WeasyPrint would fetch every URL the page names; here it fetches nothing from the network at all.
`LocalFetcher` answers the page's stylesheet and images from this machine's files: files of the
static folder, and the derivatives (reduced JPEGs, never originals) of exactly the photos the
dossier shows to this viewer. Any other URL is refused, so a PDF cannot carry more than the page.
Chinese text is set in the Noto CJK faces the stylesheet names (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import ImageFile

_truncated_before = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import HTML, __version__  # noqa: E402  (between the two lines that keep Pillow's setting)
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES to True (weasyprint/images.py),
# which would make every later decode in this process accept truncated files, and so stop
# media.images from reporting a damaged upload. Put it back: WeasyPrint only ever gets our own
# derivatives here.
ImageFile.LOAD_TRUNCATED_IMAGES = _truncated_before

from media import DERIVATIVE_SIZES, derivative_path  # noqa: E402

# What draws the PDF: part of the name a drawn dossier is cached under.
RENDERER = f"weasyprint {__version__}"

MIME = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
        ".ico": "image/x-icon"}


class LocalFetcher(URLFetcher):
    """Serve /static/... from the static folder and /media/d/<sha256>/<name>.jpg of allowed photos."""

    def __init__(self, static_dir: Path, derivatives_dir: Path, allowed_sha256: set[str]) -> None:
        super().__init__(allowed_protocols=("http", "https"))
        self.static_dir = static_dir.resolve()
        self.derivatives_dir = derivatives_dir
        self.allowed = allowed_sha256

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = unquote(urlsplit(url).path)
        local = self._local_file(path)
        if local is None or not local.is_file():
            raise ValueError(f"not part of the dossier: {path}")
        mime = MIME.get(local.suffix, "application/octet-stream")
        return URLFetcherResponse(url, local.read_bytes(), {"Content-Type": mime})

    def _local_file(self, path: str) -> Path | None:
        if path.startswith("/static/"):
            local = (self.static_dir / path.removeprefix("/static/")).resolve()
            return local if local.is_relative_to(self.static_dir) else None
        parts = path.split("/")  # ['', 'media', 'd', sha256, 'name.jpg']
        if len(parts) == 5 and parts[1:3] == ["media", "d"] and parts[3] in self.allowed:
            name = parts[4].removesuffix(".jpg")
            if name in DERIVATIVE_SIZES:
                return derivative_path(self.derivatives_dir, parts[3], name)
        return None


def render_pdf(html: str, base_url: str, fetcher: LocalFetcher) -> bytes:
    pdf: bytes = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
    return pdf
