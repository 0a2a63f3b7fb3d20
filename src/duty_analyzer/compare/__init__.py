"""Comparing duties: cross-department and internal overlaps, decided by a learned pair model."""

from .engine import AlignmentGap, Evidence, Overlap, OverlapConfig, OverlapReport, Settlement, find_overlaps
from .pairs import CROSS, INTERNAL

__all__ = ["CROSS", "INTERNAL", "AlignmentGap", "Evidence", "Overlap", "OverlapConfig", "OverlapReport", "Settlement",
           "find_overlaps"]
