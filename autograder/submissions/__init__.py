"""Find submissions in files, folders and zips, and give each student one safe id.

    discover(paths, scratch, caps=None) -> list[Submission]
    discover_one(folder, scratch, caps=None) -> (Submission, other candidates' names)
    links_in(folder) -> the symbolic links in it, passed over unread (relative names)
    sha256_of(path, limit) -> str        (chunked; FileTooLarge past `limit`)
    read_limited(path, limit) -> bytes   (the same checks, for the one read ingest gets)

A Submission with a `refusal` is not graded; the pipeline reports `refusal.message()`
as that student's result. Modules: model (the types), ids (names to ids), members and
archives (checking and unpacking zips), hashing (reading files safely), discover.
"""

from .discover import discover, discover_one, links_in
from .hashing import FileTooLarge, read_limited, sha256_of
from .model import Caps, Refusal, Submission, SubmissionPathError

__all__ = ["Caps", "FileTooLarge", "Refusal", "Submission", "SubmissionPathError", "discover", "discover_one",
           "links_in", "read_limited", "sha256_of"]
