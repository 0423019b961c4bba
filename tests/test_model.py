"""The model's copy of the schema's keys stays in step with the schema."""

from __future__ import annotations

import json
from pathlib import Path

from karmalint.model import ACCOUNT_KEYS, RIGHTS_FILE_KEYS

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "mdo-rights.schema.json"


def test_rights_file_keys_match_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    assert set(schema["properties"]) == RIGHTS_FILE_KEYS


def test_account_keys_match_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    assert set(schema["$defs"]["account"]["properties"]) == ACCOUNT_KEYS
