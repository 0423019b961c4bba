"""Format findings for the terminal and for machines.

The formats live in karmalint.formats; this module keeps the names that the
command line imports.
"""

from __future__ import annotations

from karmalint.formats.common import count, summary_line
from karmalint.formats.json_report import format_json
from karmalint.formats.text import SEVERITY_COLOURS, format_text

__all__ = ["SEVERITY_COLOURS", "count", "format_json", "format_text", "summary_line"]
