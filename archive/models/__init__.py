"""The archive's tables: import every model here so metadata is complete for Alembic and tests."""

from archive.models.audit import AuditEvent
from archive.models.fixity import FixityFinding, FixityRun
from archive.models.gazetteer import PlaceName
from archive.models.house import House
from archive.models.imports import ImportBatch, ImportChange
from archive.models.oai import OaiItem
from archive.models.person import Person, PersonRole
from archive.models.photo import Photo
from archive.models.record import Record, record_houses, record_photos
from archive.models.replica import ReplicaCopy
from archive.models.search import RomanisationAlias, SearchQueue
from archive.models.user import ApiToken, LoginAttempt, User, UserSession
from archive.models.vocab import VocabTerm

__all__ = [
    "ApiToken",
    "AuditEvent",
    "FixityFinding",
    "FixityRun",
    "House",
    "ImportBatch",
    "ImportChange",
    "LoginAttempt",
    "OaiItem",
    "Person",
    "PersonRole",
    "Photo",
    "PlaceName",
    "Record",
    "ReplicaCopy",
    "RomanisationAlias",
    "SearchQueue",
    "User",
    "UserSession",
    "VocabTerm",
    "record_houses",
    "record_photos",
]
