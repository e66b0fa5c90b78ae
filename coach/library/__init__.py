"""The drafts library: every draft kept, found, and never lost. Pure Python, no Qt.

Example::

    from coach.library import DraftStore

    with DraftStore() as store:  # the user's library (or DraftStore("path/to/file"))
        draft_id = store.add("Which launch surprised you most this year?", client="Acme")
        store.update(draft_id, status="in review")
        hits = store.search("launch", client="Acme")

See docs/library-api.md for the whole API and docs/library-format.md for the files it
imports and exports.
"""

from .errors import (
    Cancelled,
    ConflictError,
    CorruptLibraryError,
    DraftNotFound,
    ImportRejected,
    InvalidDraftError,
    LibraryBusyError,
    LibraryError,
    NotALibraryError,
    ReadOnlyLibraryError,
    SaveFailedError,
    SearchIndexRebuilt,
    StorageFullError,
)
from .files import default_library_path, list_backups, restore_file
from .model import (
    FIELDS,
    STATUS_LABELS,
    STATUSES,
    Autosave,
    BackupInfo,
    Draft,
    DraftRecord,
    ImportResult,
    Version,
    derive_title,
)
from .schema import SCHEMA_VERSION
from .scoring import engine_scorer
from .store import DraftStore, word_changes

__all__ = [
    "FIELDS", "SCHEMA_VERSION", "STATUSES", "STATUS_LABELS", "Autosave", "BackupInfo",
    "Cancelled", "ConflictError", "CorruptLibraryError", "Draft", "DraftNotFound",
    "DraftRecord", "DraftStore", "ImportRejected", "ImportResult", "InvalidDraftError",
    "LibraryBusyError", "LibraryError", "NotALibraryError", "ReadOnlyLibraryError",
    "SaveFailedError", "SearchIndexRebuilt", "StorageFullError", "Version", "default_library_path",
    "derive_title", "engine_scorer", "list_backups", "restore_file", "word_changes",
]
