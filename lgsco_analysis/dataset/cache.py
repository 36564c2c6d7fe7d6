"""The parse cache: each letter parsed once per reading code, its entry checked before it is trusted.

An entry is keyed by the letter's SHA-256 and what the reading depends on (the reading code
and rules, the OCR engine), and carries a checksum of its own content: an entry damaged by
accident (a disk error, a half-copied folder) is parsed again. The checksum is not a
signature: someone who edits an entry and recomputes it is believed, as the README says.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from pathlib import Path

from ..paths import write_atomically
from ..provenance import READING_CODE, code_sha256
from ..read.letter import checked_record, parse_letter
from ..read.ocr import ocr_engine
from ..read.record import Letter, unreadable
from ..rules.vocabulary import Status

log = logging.getLogger(__name__)
CACHE_DIR_NAME = ".cache"


def reading_key(ocr: bool) -> str:
    """What a parse depends on besides the letter: the reading code and rules, and the OCR engine (or none)."""
    engine = ocr_engine() if ocr else "off"
    return hashlib.sha256(f"{code_sha256(READING_CODE)}\0ocr {engine}".encode()).hexdigest()


def cache_path(cache_dir: Path, sha256: str, ocr: bool) -> Path:
    return cache_dir / f"{sha256}-{reading_key(ocr)[:16]}.json"


def _entry_checksum(letter: dict) -> str:
    return hashlib.sha256(json.dumps(letter, sort_keys=True).encode()).hexdigest()


def read_cache(cache_file: Path | None, source: str) -> Letter | None:
    """A cached letter, checked as a fresh one is and against the entry's own checksum; None (parse it
    again) for an entry that does not hold up."""
    if cache_file is None or not cache_file.exists():
        return None
    try:
        entry = json.loads(cache_file.read_text(encoding="utf-8"))
        data = entry["letter"]
        if entry["checksum"] != _entry_checksum(data):
            return None  # damaged (or edited): parsed again, and the entry replaced
        data["source"] = source
        return checked_record(data)
    except (ValueError, TypeError, KeyError):
        return None


CHANGED_WHILE_READ = (
    "changed while being read: its bytes were not those listed when the run began (a download still "
    "writing it?); parsed as read, not cached; run `lgsco parse` again once the file is complete"
)


def parse_job(job: tuple[str, str, str, str | None, bool]) -> Letter:
    """Worker: copy the letter once, hashing what is copied, and parse the copy; cache it if it is the file listed.

    The parse reads only the private copy, so a file rewritten meanwhile cannot change what was parsed
    from the bytes hashed.
    """
    path, source, listed_sha256, cache_file, ocr = job
    with tempfile.TemporaryDirectory(prefix="lgsco-letter-") as folder:
        copy = Path(folder) / "letter.pdf"
        try:
            sha256 = _copy_hashing(Path(path), copy)
        except OSError as error:
            return unreadable(source, listed_sha256, f"could not be read: {error.strerror or error}")
        letter = parse_letter(copy, source=source, sha256=sha256, ocr=ocr)
    if sha256 != listed_sha256:
        letter.problems.append(CHANGED_WHILE_READ)
        if letter.status == Status.OK:
            letter.status = Status.WARNING
    elif cache_file:
        data = letter.to_dict()
        text = json.dumps({"checksum": _entry_checksum(data), "letter": data})
        try:
            write_atomically(Path(cache_file), lambda p: p.write_text(text, encoding="utf-8"))
        except OSError as error:  # a full disk, say: the letter is parsed all the same, only not cached
            log.warning("%s: not cached (%s)", source, error)
    return letter


def _copy_hashing(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as reading, target.open("wb") as writing:
        for block in iter(lambda: reading.read(1 << 20), b""):
            digest.update(block)
            writing.write(block)
    return digest.hexdigest()
