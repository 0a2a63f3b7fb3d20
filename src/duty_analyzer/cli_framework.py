"""The CLI's frame around typer: Chinese usage errors and help labels, -h, --version, one Chinese line on Ctrl-C.

Usage errors are caught at the top-level group and shown in Chinese: the message click built is matched
against a small table of its English forms (this works with the click that typer vendors since 0.29 and with
the stand-alone click earlier typers use); what the table does not know is shown as click wrote it. Help
labels (选项 / 参数 / 用法) come from typer's gettext `_`, pointed at a catalog while a command runs.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn, MofNCompleteColumn, Progress as Bar, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
)
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

from .progress import Progress

try:  # typer >= 0.29 vendors click, and keeps Abort in typer.exceptions
    from typer import _click as click
    from typer.exceptions import Abort
except ImportError:  # pragma: no cover - older typer
    import click
    from click.exceptions import Abort

INTERRUPTED = "已中断（Ctrl-C）：未写完的结果已丢弃，输出文件夹中只留下此前写好的完整文件。"
INTERRUPT_EXIT = 130
USAGE_EXIT = 2
HELP_HELP = "显示本帮助并退出"
# Help labels built through gettext (typer.core, and click in older typers) -> Chinese.
CATALOG: dict[str, str] = {
    "Options": "选项", "Arguments": "参数", "Positional arguments": "参数", "Commands": "命令",
    "Usage:": "用法：", "Show this message and exit.": HELP_HELP, "Show the version and exit.": "显示版本并退出",
    "default: {default}": "默认：{default}", "required": "必填", "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）", "Aborted!": INTERRUPTED, "Error: {message}": "错误：{message}",
}
_GETTEXT_MODULES = ("typer.core", "click.core", "click.formatting", "click.decorators")

# The English messages of click's usage errors (both click generations) -> Chinese, tried in order.
MESSAGES: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.S), r) for p, r in (
    (r"^Missing (?:argument|parameter) '?([^'.]+)'?\.?(.*)$", r"缺少参数 \1\2"),
    (r"^Missing option (.+?)\.(\s.*)?$", r"缺少选项 \1\2"),
    (r"^Missing parameter: (.+)$", r"缺少参数 \1"),
    (r"^Missing command\.?$", "缺少命令"),
    (r"^No such option: (\S+)\s*\(Possible options: (.+)\)$", r"没有这个选项：\1（您是不是要用：\2？）"),
    (r"^No such option: (\S+)\s*(?:Did you mean (.+)\?)?$", r"没有这个选项：\1"),
    (r"^No such option '?([^'.]+)'?\.?\s*(?:\(?Did you mean (?:one of: )?(.+?)\?\)?)?$", r"没有这个选项：\1"),
    (r"^No such command '([^']+)'\.?\s*Did you mean (.+)\?$", r"没有这个命令 '\1'（您是不是要用 \2？）"),
    (r"^No such command '([^']+)'\.?$", r"没有这个命令 '\1'"),
    (r"^Got unexpected extra arguments? ?\(?s?\)? \((.*)\)$", r"多余的参数：\1"),
    (r"^Option '([^']+)' requires (?:an argument|\d+ arguments)\.$", r"选项 '\1' 后面需要给出取值"),
    (r"^Option '([^']+)' does not take a value\.$", r"选项 '\1' 不接受取值"),
    (r"^Invalid value for (.+?): (.*)$", r"\1 的取值无效：\2"),
    (r"^Invalid value: (.*)$", r"取值无效：\1"),
)]
# Details inside "invalid value" messages (pydantic in typer >= 0.29, click before).
DETAILS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in (
    (r"Input should be greater than or equal to ([\d.]+)", r"应大于或等于 \1"),
    (r"Input should be greater than ([\d.]+)", r"应大于 \1"),
    (r"Input should be less than or equal to ([\d.]+)", r"应小于或等于 \1"),
    (r"Input should be less than ([\d.]+)", r"应小于 \1"),
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid number.*", "应为数字"),
    (r"Input should be (.+)", r"应为 \1"),
    (r"'([^']*)' is not a valid integer( range)?\.", r"'\1' 不是整数"),
    (r"'([^']*)' is not a valid float( range)?\.", r"'\1' 不是数字"),
    (r"(\S+) is not in the range (.+)\.", r"\1 不在范围 \2 内"),
    (r"'([^']*)' is not one of (.+)\.", r"'\1' 不在可选值 \2 中"),
    (r"Choose from:", "可选："),
)]


def translate_message(message: str) -> str:
    """A click usage-error message in Chinese (unchanged when it is not one we know)."""
    for pattern, repl in MESSAGES:
        if pattern.match(message):
            message = pattern.sub(repl, message, count=1)
            break
    for pattern, repl in DETAILS:
        message = pattern.sub(repl, message)
    return message


def _gettext(message: str) -> str:
    return CATALOG.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


@contextmanager
def chinese_labels() -> Iterator[None]:
    """Help labels in Chinese for the duration (module attributes restored afterwards)."""
    saved: list[tuple[Any, str, Any]] = []
    for name in _GETTEXT_MODULES:
        module = sys.modules.get(name)
        for attr, repl in (("_", _gettext), ("ngettext", _ngettext)):
            if module is not None and callable(getattr(module, attr, None)):
                saved.append((module, attr, getattr(module, attr)))
                setattr(module, attr, repl)
    try:
        yield
    finally:
        for module, attr, original in saved:
            setattr(module, attr, original)


def show_usage_error(exc: Any) -> None:
    """Usage line, a hint and the error, as click shows them, in Chinese."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(f"运行 '{ctx.command_path} -h' 查看帮助。\n", err=True)
    typer.echo(f"错误：{translate_message(exc.format_message())}", err=True)


_WORKERS_QUIET = False


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def quiet_workers() -> None:
    """Processes forked from here on (classifier/hotline worker pools) ignore Ctrl-C: the terminal sends
    SIGINT to the whole process group, and only the main process should stop (it terminates its pools),
    so no worker prints a traceback. Not run for subprocess launches (soffice), which exec at once."""
    global _WORKERS_QUIET
    if not _WORKERS_QUIET and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_ignore_sigint)
        _WORKERS_QUIET = True


class ChineseHelp:
    """Mixin for typer's command classes: Chinese help-option text and usage prefix."""

    def get_help_option(self, ctx):  # type: ignore[no-untyped-def]
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_HELP
        return option

    def format_usage(self, ctx, formatter) -> None:  # type: ignore[no-untyped-def]
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")


class ChineseCommand(ChineseHelp, TyperCommand):
    pass


class ChineseGroup(ChineseHelp, TyperGroup):
    """The top-level group: usage errors exit 2 with Chinese lines; Ctrl-C exits 130 with one Chinese line
    and no traceback (the command left the previous outputs: every output file is replaced atomically)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True, **extra: Any) -> Any:
        quiet_workers()
        with chinese_labels():
            try:
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except click.exceptions.NoArgsIsHelpError as exc:
                typer.echo(exc.format_message(), err=True)
                code = USAGE_EXIT
            except click.exceptions.UsageError as exc:
                show_usage_error(exc)
                code = USAGE_EXIT
            except click.exceptions.ClickException as exc:
                typer.echo(f"错误：{exc.format_message()}", err=True)
                code = exc.exit_code
            except (Abort, KeyboardInterrupt):
                code = INTERRUPT_EXIT
            except Exception as exc:  # a bug or an unusable shipped file: one Chinese line, never a traceback
                typer.echo(f"错误：{exc}（{type(exc).__name__}）", err=True)
                code = 1
            if code == INTERRUPT_EXIT:  # typer >= 0.29 turns KeyboardInterrupt into Exit(130)
                typer.echo(INTERRUPTED, err=True)
            code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


class ChineseTyper(typer.Typer):
    """typer.Typer whose commands default to ChineseCommand."""

    def command(self, *args: Any, cls: Any = None, **kwargs: Any):  # type: ignore[override]
        return super().command(*args, cls=cls or ChineseCommand, **kwargs)


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def make_app(help: str, version: str) -> typer.Typer:
    """The typer app with the frame: Chinese messages, -h, --version, help text printed as written
    (no rich markup, which would eat `[semantic]`)."""
    app = ChineseTyper(
        cls=ChineseGroup, help=help, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
        rich_markup_mode=None, context_settings=CONTEXT_SETTINGS,
    )

    def show_version(value: bool) -> None:
        if value:
            typer.echo(f"duty-analyzer {version}")
            raise typer.Exit()

    @app.callback()
    def _root(
        _version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=show_version, help="显示版本并退出"),
    ) -> None:
        """编办职责分析工具。"""

    return app


def sub_app(help: str) -> typer.Typer:
    """A command group under the app (review …) with the same settings."""
    return ChineseTyper(cls=ChineseGroup, help=help, no_args_is_help=True, rich_markup_mode=None, context_settings=CONTEXT_SETTINGS)


class TerminalProgress(Progress):
    """Stage lines on stderr ("[热线] 工单 200000 条……") and, on a terminal, a rich bar with rows done out
    of the total, rate and time left. Off a terminal (logs, pipes, tests) only the stage lines appear."""

    EVERY = 200  # rows between bar refreshes: per-row calls into rich would cost more than the work

    def __init__(self, console: Any = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)

    def stage(self, name: str, message: str) -> None:
        self.console.print(f"[{name}] {message}", markup=False, highlight=False)

    @contextmanager
    def rows(self, label: str, total: int | None) -> Iterator[Any]:
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                   TextColumn("剩余"), TimeRemainingColumn(), TextColumn("已用"), TimeElapsedColumn()]
        with Bar(*columns, console=self.console, disable=not self.console.is_terminal, transient=False) as bar:
            task = bar.add_task(label, total=total or None)
            pending = 0

            def advance(n: int = 1) -> None:
                nonlocal pending
                pending += n
                if pending >= self.EVERY:
                    bar.advance(task, pending)
                    pending = 0

            yield advance
            bar.advance(task, pending)



class RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task) -> Text:  # type: ignore[no-untyped-def]
        return Text(f"{task.speed:,.0f} 条/秒" if task.speed else "— 条/秒")
