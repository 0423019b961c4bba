"""Files in ``.karmalint_cache/`` signed with a secret kept outside the repository.

Each file contains a JSON body and its HMAC.  The secret lives in the user's
cache folder, so a file committed to a repository, which could claim a
clean result, fails verification and is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_FOLDER = Path(".karmalint_cache")
# Entries kept in a folder when a caller does not say otherwise.
MAX_ENTRIES = 16

log = logging.getLogger(__name__)


def _secret() -> bytes:
    """Return this user's cache secret, creating it on first use."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "karmalint" / "secret"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = os.urandom(32)
        with contextlib.suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(secret)
        return path.read_bytes()


def _mac(body: str) -> str:
    return hmac.new(_secret(), body.encode("utf-8"), hashlib.sha256).hexdigest()


def read_signed(relative: Path) -> Any:
    """Return a signed cache file's JSON document; None if absent or untrusted."""
    path = CACHE_FOLDER / relative
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        body = entry["body"]
        if not hmac.compare_digest(entry["mac"], _mac(body)):
            log.info("ignoring the cache entry %s: it was not written here", path)
            return None
        return json.loads(body)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.info("ignoring the unreadable cache entry %s: %s", path, error)
        return None


def write_signed(relative: Path, document: Any, keep: int | None = MAX_ENTRIES) -> None:
    """Write a signed cache file atomically; a failure to write only loses the cache."""
    path = CACHE_FOLDER / relative
    try:
        body = json.dumps(document, ensure_ascii=False)
        entry = {"mac": _mac(body), "body": body}
        path.parent.mkdir(parents=True, exist_ok=True)
        (CACHE_FOLDER / ".gitignore").write_text("*\n", encoding="utf-8")
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(entry, stream, ensure_ascii=False)
        os.replace(temporary, path)
        if keep is not None:
            prune(path.parent, keep)
    except OSError as error:
        log.info("cannot write the cache in %s: %s", CACHE_FOLDER, error)


def prune(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` newest entries of a cache folder."""
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
