"""Bidirectional control characters in user text: found for ``check``, shown visibly in every output.

The embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069)
change the order in which text is *displayed* without changing the order in
which it is stored: "gnp.exe" with a RIGHT-TO-LEFT OVERRIDE before it reads as
"exe.png". Claims, quotes and sources are data, so a reader must see them as
stored: ``argbrief check`` warns where such a character is
(``input.bidi-control``), and every output (diagrams, HTML, PDF, Word) shows it
as a visible code, ``<U+202E>``, instead of obeying it. The marks that only
nudge neutral characters (LRM U+200E, RLM U+200F, ALM U+061C) are ordinary
parts of right-to-left text and left alone.
"""

from __future__ import annotations

import re

#: The characters, with their Unicode names (for messages).
BIDI_CONTROLS: dict[str, str] = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def find_bidi_control(text: str) -> str | None:
    """The first bidirectional control character in ``text``, or None (fast for ASCII text)."""
    if text.isascii():
        return None
    found = BIDI_CONTROL.search(text)
    return found.group() if found else None


def show_bidi_controls(text: str) -> str:
    """``text`` with every bidirectional control replaced by its visible code: ``<U+202E>``."""
    if text.isascii():
        return text
    return BIDI_CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def describe(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    return f"U+{ord(char):04X} ({BIDI_CONTROLS.get(char, 'bidirectional control')})"
