"""duty_analyzer: screen 三定 regulations, responsibility lists, hotline disputes and interview notes.

The public API (see duty_analyzer.api and docs/example.ipynb):

    parse_folder(paths) -> Documents          find_overlaps(docs_or_paths) -> Overlaps
    classify_texts(texts) -> Classification   analyze_hotline(records, sanding) -> HotlineResult
    analyze(paths, out_dir) -> AnalysisResult (everything `duty-analyzer analyze` writes)

Each result has `.to_frame()` (pandas). Names load on first use, so `import duty_analyzer` stays cheap.
"""

__version__ = "0.1.0"

__all__ = [
    "parse_folder", "find_overlaps", "classify_texts", "analyze_hotline", "analyze",
    "Documents", "Overlaps", "Classification", "HotlineResult", "AnalysisResult", "__version__",
]


def __getattr__(name: str):
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'duty_analyzer' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
