"""Importers: survey sheets, photo folders, text articles -> plain validated rows and a report.

No flask, no database, nothing from `archive`: a file goes in, dataclasses and `Problem`s come
out, and the archive applies them. The public API:

- `read_survey(path, *, vocab, known_house_codes=(), encoding=None, limits=SheetLimits()) -> SurveyResult`
  (and `read_survey_files` for several CSV files read as one import)
- `scan_photo_folder(root, known_codes) -> PhotoScan`
- `read_text_article(path_or_bytes, *, encoding=None) -> Article`
- `parse_date(text) -> ParsedDate`, `gcj02_to_wgs84(lat, lon)`, `clean_text(text) -> Cleaned`
- `render(problem, lang)` for lang in zh-Hans, zh-Hant, en
"""

from importers.coords import gcj02_to_wgs84, wgs84_to_gcj02
from importers.dates import ParsedDate, parse_date
from importers.photos import PhotoFile, PhotoScan, SkippedFile, scan_photo_folder
from importers.problems import Problem, UnreadableFile, render
from importers.rows import HouseRow, RecordRow, SheetInfo, SurveyResult
from importers.survey import read_survey, read_survey_files
from importers.text import Article, read_text_article
from importers.textclean import Change, Cleaned, clean_text
from importers.workbook import SheetLimits

__all__ = [
    "Article",
    "Change",
    "Cleaned",
    "HouseRow",
    "ParsedDate",
    "PhotoFile",
    "PhotoScan",
    "Problem",
    "RecordRow",
    "SheetInfo",
    "SheetLimits",
    "SkippedFile",
    "SurveyResult",
    "UnreadableFile",
    "clean_text",
    "gcj02_to_wgs84",
    "parse_date",
    "read_survey",
    "read_survey_files",
    "read_text_article",
    "render",
    "scan_photo_folder",
    "wgs84_to_gcj02",
]
