"""Locate the policy and schemas: the repository's own, else the packaged ones."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def default_folder(name: str) -> Path:
    """Return ``./<name>`` if it exists, else the copy shipped with karmalint.

    An installed wheel carries ``policy`` and ``schemas`` inside the package.
    A source checkout has them one level up, at the top of the repository.
    """
    local = Path(name)
    if local.is_dir():
        return local
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name
