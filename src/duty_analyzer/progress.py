"""What long work tells while it runs: stage lines with counts, and row bars with a total.

The library calls a `Progress`; the default says nothing (library and notebook use stay quiet), the CLI
passes a terminal one (cli_framework.TerminalProgress). Kept to two calls so stages stay easy to add.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

# The stages `analyze` goes through, in order (labels shown to the user).
STAGES = ("解析", "职责交叉", "访谈", "热线", "台账", "报告")


class Progress:
    """Silent progress: subclasses show it."""

    def stage(self, name: str, message: str) -> None:
        """A stage starts or ends; `message` carries its counts."""

    @contextmanager
    def rows(self, label: str, total: int | None) -> Iterator[Callable[[int], None]]:
        """An advance(n) function for `total` rows (None when unknown)."""
        yield lambda n=1: None


SILENT = Progress()
