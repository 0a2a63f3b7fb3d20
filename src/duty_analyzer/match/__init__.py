"""The one matching core: clause units, department-weighted vectors and top-k neighbour search.

Used by the overlap engine (`compare`) and the hotline matcher; everything here is public."""

from .space import (
    SUBWORD, Background, Space, WeightConfig, background_from, build_space, features, is_boilerplate, is_object,
    neighbour_pairs,
)
from .units import COMPARED_SECTIONS, LIST_SECTION, Unit, collect_units, support_unit_words, units_by_item

__all__ = [
    "COMPARED_SECTIONS", "LIST_SECTION", "SUBWORD", "Background", "Space", "Unit", "WeightConfig", "background_from",
    "build_space", "collect_units", "features", "is_boilerplate", "is_object", "neighbour_pairs", "support_unit_words",
    "units_by_item",
]
