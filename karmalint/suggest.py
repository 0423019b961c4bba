"""Nearest-match suggestions for misspelt keys, codes and names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """Return the closest choice, preferring one that differs only in case."""
    options = [choice for choice in choices if isinstance(choice, str)]
    folded = word.strip().casefold()
    for choice in options:
        if choice.casefold() == folded:
            return choice
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``"; did you mean X?"`` for the nearest choice, or an empty string."""
    match = nearest(word, choices)
    return f"; did you mean {match}?" if match is not None and match != word else ""
