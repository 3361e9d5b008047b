"""The few exceptions that stop a run, each with its exit code.

Problems in user content are :class:`~argbrief.diagnostics.Diagnostic` values,
never exceptions. These are for conditions that stop the whole run.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_BUG = 3


class ArgbriefError(Exception):
    """Base class; ``exit_code`` says how the CLI ends."""

    exit_code = EXIT_INPUT


class UsageError(ArgbriefError):
    """The command was called wrongly (unknown pack, bad option value)."""

    exit_code = EXIT_USAGE


class InputError(ArgbriefError):
    """The input has errors; diagnostics were already reported."""

    exit_code = EXIT_INPUT


class ToolError(ArgbriefError):
    """An external tool (Graphviz ``dot``) is missing or failed."""

    exit_code = EXIT_INPUT


class ConfigError(ArgbriefError):
    """The project configuration is invalid."""

    exit_code = EXIT_INPUT
