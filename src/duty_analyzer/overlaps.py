"""Thin alias: the overlap engine lives in `duty_analyzer.compare` (engine, pairs, decide, government) on the
matching core in `duty_analyzer.match`. Kept so `from duty_analyzer.overlaps import ...` keeps working."""

from .compare.engine import (  # noqa: F401
    COMPARED_SECTIONS, AlignmentGap, Evidence, Overlap, OverlapConfig, OverlapReport, Settlement, find_overlaps,
    semantic_scale,
)
from .compare.government import jurisdiction  # noqa: F401
from .compare.pairs import CROSS, DEFAULT_ACTIONS, INTERNAL, OWN_SCOPE  # noqa: F401
from .match import (  # noqa: F401
    LIST_SECTION, SUBWORD, Background, Space, Unit, background_from, build_space, collect_units, features,
    is_boilerplate, is_object, neighbour_pairs, support_unit_words,
)
