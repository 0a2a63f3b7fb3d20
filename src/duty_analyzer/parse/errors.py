"""The one error type of the parse stage: carries the file so the CLI can name it in Chinese."""

from __future__ import annotations


class ParseError(Exception):
    def __init__(self, path: str, message: str):
        from .filenames import display_name

        path = display_name(path)  # a GBK file name must not crash the writer that reports it
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message

    def __reduce__(self):
        # crosses process boundaries (forked pools report a bad row of a streamed input)
        return (type(self), (self.path, self.message))
