"""Locate the policy and schemas: the repository's own, else the packaged ones."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


# A file that marks a folder as karmalint's own, so that an unrelated
# ./policy or ./schemas folder (a Kubernetes NetworkPolicy, say) is not used.
MARKERS = {"policy": "*.yaml", "schemas": "mdo-rights.schema.json"}


def default_folder(name: str) -> Path:
    """Return ``./<name>`` if it is karmalint's, else the copy shipped with karmalint.

    An installed wheel carries ``policy`` and ``schemas`` inside the package.
    A source checkout has them one level up, at the top of the repository.
    """
    local = Path(name)
    if local.is_dir() and _is_karmalint_folder(local, name):
        return local
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name


def _is_karmalint_folder(folder: Path, name: str) -> bool:
    for path in folder.glob(MARKERS[name]):
        if name == "schemas":
            return True
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "karmalint/v1" in text and "kind: Policy" in text:
            return True
    return False
