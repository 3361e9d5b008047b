"""Markdown shared by the reports that print it (``compare``, ``diff``)."""

from __future__ import annotations


def escape(text: str) -> str:
    """User text made safe for one Markdown table cell or list item: one line, no markup."""
    text = " ".join(text.split())
    for ch in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "~"):
        text = text.replace(ch, "\\" + ch)
    return text
