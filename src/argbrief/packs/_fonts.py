"""The fonts of the HTML pack, embedded: subsets of the installed faces the PDF uses, as WOFF2.

The PDF embeds subsets of Noto Serif, Noto Sans and DejaVu (WeasyPrint does
it). The HTML file would otherwise show whatever the reader's machine
substitutes, so :func:`font_face_css` embeds the same faces, cut down
(fontTools' subsetter) to the characters the page uses, as ``data:`` URLs in
``@font-face`` rules: still one self-contained file that fetches nothing.

Noto is under the SIL Open Font License and DejaVu under the Bitstream Vera
licence (with public-domain changes); both allow embedding subsets. Faces are
found with fontconfig (``fc-list``); a face that is not installed is left
out, and the style sheet's fallback fonts apply to it.
"""

from __future__ import annotations

import base64
import io
import logging
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from attrs import frozen


@frozen
class Face:
    """One face the packs' style sheets and diagrams ask for."""

    family: str
    weight: int  # 400 or 700
    italic: bool


#: The faces of templates/pack-common.css and of the diagrams (render/theme.py's font).
FACES: tuple[Face, ...] = (
    *(Face(f, w, i) for f in ("Noto Serif", "Noto Sans") for w in (400, 700) for i in (False, True)),
    Face("DejaVu Sans", 400, False),
    Face("DejaVu Sans", 700, False),
    Face("DejaVu Sans Mono", 400, False),
    Face("DejaVu Serif", 400, False),
)
_log = logging.getLogger(__name__)
# fontconfig's weights and slants: 80 regular, 200 bold; 0 roman, 100 italic, 110 oblique.
_FC_WEIGHT = {400: 80, 700: 200}
_FEATURES = ["kern", "ccmp", "locl", "mark", "mkmk"]  # enough for Latin, Greek and Cyrillic text


def installed_faces() -> dict[Face, Path]:
    """The font file of each face in :data:`FACES` that fontconfig knows (an exact family match)."""
    return dict(_installed_faces())


@lru_cache(maxsize=1)
def _installed_faces() -> tuple[tuple[Face, Path], ...]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        out = subprocess.run(
            [fc_list, "--format", "%{family[0]}\t%{weight}\t%{slant}\t%{file}\n"],
            capture_output=True, text=True, timeout=30, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    found: dict[Face, Path] = {}
    for line in sorted(out.splitlines()):  # sorted: the same file wins on every run
        parts = line.split("\t")
        if len(parts) != 4 or not parts[3].lower().endswith((".ttf", ".otf")):
            continue
        family, weight, slant, file = parts
        for face in FACES:
            if face.family == family and weight == str(_FC_WEIGHT[face.weight]) and (slant != "0") == face.italic:
                found.setdefault(face, Path(file))
    return tuple(sorted(found.items(), key=lambda fp: FACES.index(fp[0])))


def subset_woff2(path: Path, text: str) -> bytes:
    """The face in ``path`` cut down to the characters of ``text``, as WOFF2 (no hinting: screens only)."""
    from fontTools import subset  # lazy: HTML builds only

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = _FEATURES
    options.hinting = False
    options.drop_tables += ["FFTM", "DSIG"]
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.ERROR)  # "table X not subset" notes are not the user's business
    try:
        font = subset.load_font(str(path), options, lazy=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted({ord(c) for c in text}))
        subsetter.subset(font)
        out = io.BytesIO()
        subset.save_font(font, out, options)
    finally:
        logger.setLevel(level)
    return out.getvalue()


def font_face_css(text: str) -> str:
    """``@font-face`` rules embedding every installed face of :data:`FACES`, subset to ``text``.

    The result holds only fixed family names, numbers and base64: no user
    text, no ``</``. Empty when no face is installed.
    """
    rules = []
    for face, path in installed_faces().items():
        try:
            data = subset_woff2(path, text)
        except Exception as exc:  # noqa: BLE001 - a damaged font file: leave the face to the fallbacks
            _log.warning("font %s not embedded: %s", path, exc)
            continue
        rules.append(
            "@font-face { "
            f'font-family: "{face.family}"; font-weight: {face.weight}; '
            f"font-style: {'italic' if face.italic else 'normal'}; "
            f"src: url(data:font/woff2;base64,{base64.b64encode(data).decode('ascii')}) format(\"woff2\"); }}"
        )
    return "\n".join(rules)
