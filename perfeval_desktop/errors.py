"""Errors a clerk can see: each carries a Chinese message naming what is wrong and the fix."""

from __future__ import annotations


class PerfevalError(Exception):
    """Base of every error the program reports to the clerk (never a traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ProjectFileError(PerfevalError):
    """A .pfe file that cannot be read: damaged, not a report, or from a newer version."""


class NewerVersionError(ProjectFileError):
    """The file was written by a newer program version (its schema_version is higher)."""


class SaveError(PerfevalError):
    """Saving failed (read-only folder, disk full, file locked); the report stays in memory."""


class TemplateError(PerfevalError):
    """A form template (manifest or document file) is broken; the message names file and line."""


class ExportError(PerfevalError):
    """An export could not be written, e.g. the target is open in WPS or Excel."""


class InputError(PerfevalError):
    """A value typed by the clerk that cannot be understood (names the field)."""
