"""URI checks for the "uri" and "uri-reference" formats of JSON Schema.

jsonschema checks these formats only when rfc3987 or rfc3986-validator is
installed, so the tests bring their own, from the grammar of RFC 3986.
"""

from __future__ import annotations

import re

from jsonschema import FormatChecker

# Unreserved and reserved characters, and "%" when it starts a %XX escape.
_CHARACTERS = r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"
_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*"
_URI = re.compile(rf"{_SCHEME}:{_CHARACTERS}")
_RELATIVE = re.compile(_CHARACTERS)


def is_uri(value: object) -> bool:
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


def is_uri_reference(value: object) -> bool:
    """Accept a URI or a relative reference whose first segment has no ":"."""
    if not isinstance(value, str) or is_uri(value):
        return True
    first_segment = re.split(r"[/?#]", value, maxsplit=1)[0]
    return ":" not in first_segment and _RELATIVE.fullmatch(value) is not None


def format_checker() -> FormatChecker:
    """Return jsonschema's default format checker with the two URI formats."""
    checker = FormatChecker()
    checker.checks("uri")(is_uri)
    checker.checks("uri-reference")(is_uri_reference)
    return checker
