"""Parse stage: files → `duty_analyzer.model` objects. See `registry` for the entry points."""

from .errors import ParseError
from .registry import KINDS, parse_file, parse_paths, sniff_kind

__all__ = ["KINDS", "ParseError", "parse_file", "parse_paths", "sniff_kind"]
