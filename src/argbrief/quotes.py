"""Quote verification: every quote (evidence, answers) must occur verbatim in its source text.

Matching ignores differences that are typography, not wording: runs of white
space, typographic quotes and apostrophes, dashes and the ellipsis character.
A found quote gets a paragraph locator ("para 7") unless the author wrote one,
or the source has only one paragraph (where "para 1" would tell nothing).
Paragraphs are blocks separated by blank lines; a first block that is a single
line without closing punctuation, or a short question ("Will Ukraine Survive?"),
is the title and is not counted.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import attrs
from attrs import frozen

from . import paths
from ._yamlread import MAX_BYTES
from .diagnostics import Diagnostic, closest
from .model import Answer, ArgumentMap, Claim, Evidence, Group, Source, SourceSpan, Walked

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form quotes and sources are compared in."""
    text = text.translate(_TRANSLATE).replace("\u2026", "...")
    return _SPACE.sub(" ", text).strip()


@frozen
class SourceText:
    """A source text prepared for searching: normalised text and paragraph starts."""

    text: str
    para_starts: tuple[int, ...]
    first_para: int  # 1 when the first block is body text, 0 when it is a title

    @classmethod
    def from_raw(cls, raw: str) -> SourceText:
        blocks = [b for b in re.split(r"\n\s*\n", raw.replace("\r\n", "\n")) if b.strip()]
        parts: list[str] = []
        starts: list[int] = []
        pos = 0
        for block in blocks:
            norm = normalise(block)
            starts.append(pos)
            parts.append(norm)
            pos += len(norm) + 1
        return cls(" ".join(parts), tuple(starts), 0 if blocks and _is_title(blocks[0].strip()) else 1)

    def find(self, quote: str) -> int | None:
        """The paragraph number of ``quote``, or None when it does not occur."""
        at = self.text.find(normalise(quote))
        if at < 0:
            return None
        return bisect.bisect_right(self.para_starts, at) - 1 + self.first_para

    def closest(self, quote: str) -> tuple[int, str]:
        """The passage most like ``quote``, with its paragraph number, for a hint."""
        import difflib  # only needed when a quote is not found

        q = normalise(quote)
        best = (0.0, 0, "")
        for i, start in enumerate(self.para_starts):
            end = self.para_starts[i + 1] - 1 if i + 1 < len(self.para_starts) else len(self.text)
            para = self.text[start:end]
            for sentence in re.split(r"(?<=[.!?])\s+", para):
                matcher = difflib.SequenceMatcher(None, q, sentence, autojunk=False)
                if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
                    continue
                ratio = matcher.ratio()
                if ratio > best[0]:
                    best = (ratio, i + self.first_para, sentence)
        return best[1], best[2]


#: A question or exclamation as the first line is still a title ("Will Ukraine Survive?")
#: when it is this short; a one-line first paragraph of body text is rarely a short question.
TITLE_WORDS = 12


def _is_title(first: str) -> bool:
    """Whether the first block of a source text is its title (then it is not counted as a paragraph).

    A title is one line that ends without closing punctuation, or a short question or
    exclamation.
    """
    if "\n" in first:
        return False
    if first.endswith(("?", "!")):
        return len(first.split()) <= TITLE_WORDS
    return not first.endswith((".", ":", '"', "'", "\u201d"))


def resolve_text_path(ref: str, base_dir: Path, root: Path) -> tuple[Path | None, str, str]:
    """``ref`` relative to ``base_dir`` as a readable file inside ``root``: (path, "", "") or (None, code, why).

    Through :mod:`argbrief.paths`: a path (or a symbolic link) leading out of
    ``root`` is ``input.outside-project``; a missing file ``source.missing``; a
    FIFO, device or symbolic-link loop ``input.not-a-file``.
    """
    try:
        return paths.regular_file(base_dir / ref, root), "", ""
    except paths.UnsafePath as exc:
        if exc.problem == paths.OUTSIDE:
            return None, "input.outside-project", "is outside the project"
        if exc.problem in (paths.MISSING, paths.FOLDER, paths.NOT_FOLDER):
            return None, "source.missing", "does not exist" if exc.problem != paths.FOLDER else "is a folder, not a file"
        return None, paths.DIAGNOSTIC_CODES[exc.problem], exc.detail


def _nearby_files(base_dir: Path, root: Path, limit: int = 2000) -> list[str]:
    """Text files a missing source path may have meant: below the map's folder, as paths relative to it."""
    found: list[str] = []
    for path in sorted(base_dir.rglob("*")):
        if len(found) >= limit:
            break
        rel = path.relative_to(base_dir)
        # identity(): never raises for a symbolic-link loop (which is no text file anyway).
        if path.suffix.lower() in (".txt", ".md", ".text") and len(rel.parts) <= 3 and paths.identity(path).is_relative_to(root):
            found.append(rel.as_posix())
    return found


def _near_miss(wanted: str, candidates: list[str]) -> str | None:
    """The file ``wanted`` probably meant: the same name in another folder or case, else a close name beside it."""
    want = PurePosixPath(wanted)
    same = [c for c in candidates if PurePosixPath(c).name.lower() == want.name.lower()]
    if same:
        return same[0]
    # Judge by the names (not the shared 'sources/' and '.txt'), among the files of the same folder when it has any.
    beside = [c for c in candidates if PurePosixPath(c).parent == want.parent] or candidates
    by_stem = {PurePosixPath(c).stem: c for c in reversed(beside)}
    found = closest(want.stem, by_stem)
    return by_stem[found] if found is not None else None


def locate_quotes(
    amap: ArgumentMap,
    base_dir: Path,
    root: Path,
    cache: dict[Path, SourceText | None] | None = None,
    walked: Iterable[Walked] | None = None,
) -> tuple[ArgumentMap, list[Diagnostic]]:
    """Check every quote (of evidence, and of answers in the long form) against its source
    text; fill in paragraph locators.

    Returns the map with locators set and the diagnostics (missing files,
    paths outside the project, quotes not found): ``amap`` itself when it quotes
    nothing. ``walked``: the map's :meth:`~ArgumentMap.walk`, when the caller has it.
    """
    cache = {} if cache is None else cache
    diags: list[Diagnostic] = []
    reported: set[tuple[str, str]] = set()

    def source_text(src: Source) -> SourceText | None:
        path, code, why = resolve_text_path(src.text, base_dir, root)
        if path is None:
            span = src.spans.get("text", src.span)
            if (str(span), code) not in reported:
                reported.add((str(span), code))
                message = f"source text '{src.text}' {why}"
                hint = f"paths are relative to {base_dir.name}/"
                if code == "source.missing":
                    near = _near_miss(src.text, _nearby_files(base_dir, root))
                    hint = f"did you mean '{near}'?" if near else hint
                diags.append(Diagnostic(code=code, message=message, span=span, hint=hint))
            return None
        if path not in cache:
            cache[path] = None
            span = src.spans.get("text", src.span)
            try:
                raw = paths.read_file(path, root, limit=MAX_BYTES)
            except paths.UnsafePath as exc:
                code = "source.missing" if exc.problem in (paths.MISSING, paths.UNREADABLE) else paths.DIAGNOSTIC_CODES[exc.problem]
                diags.append(Diagnostic(code=code, message=f"cannot read source text '{src.text}': {exc.detail}", span=span))
                return None
            if len(raw) > MAX_BYTES:
                diags.append(
                    Diagnostic(
                        code="input.too-large",
                        message=f"source text '{src.text}' is over the limit of {MAX_BYTES:,} bytes",
                        span=span,
                        hint="is this the article's plain text?",
                    )
                )
                return None
            try:
                cache[path] = SourceText.from_raw(raw.decode("utf-8-sig"))
            except UnicodeDecodeError as exc:
                line = raw.count(b"\n", 0, exc.start) + 1
                diags.append(
                    Diagnostic(
                        code="input.not-utf8",
                        message=f"source text '{src.text}' is not UTF-8 (byte 0x{raw[exc.start]:02x} in its line {line})",
                        span=span,
                        hint="save it as UTF-8",
                    )
                )
        return cache[path]

    # Report a map-level source problem even when no evidence uses it.
    for src in ([amap.source] if amap.source else []) + list(amap.sources.values()):
        if src.text:
            source_text(src)

    def check(item: Evidence | Answer, what: str) -> Evidence | Answer:
        """``item`` with its locator filled in when its quote is found; diagnostics otherwise."""
        if not item.quote or isinstance(item.source, str) and item.source not in amap.sources:
            return item  # nothing to check, or an unknown source key (validation reports it)
        src = amap.resolve_source(item)
        if src is None or not src.text:
            diags.append(
                Diagnostic(
                    code="quote.no-source-text",
                    message=f"quote of {what} cannot be checked: its source names no text file",
                    span=item.spans.get("quote", item.span),
                    hint=f"name one of the map's sources: 'source: {next(iter(amap.sources))}'"
                    if amap.source is None and amap.sources and item.source is None
                    else "set source.text to the source's plain-text file",
                )
            )
            return item
        st = source_text(src)
        if st is None:
            return item
        para = st.find(item.quote)
        if para is None:
            n, passage = st.closest(item.quote)
            shown = passage if len(passage) <= 160 else passage[:157] + "..."
            diags.append(
                Diagnostic(
                    code="quote.not-found",
                    message=f"quote of {what} is not in '{src.text}'",
                    span=item.spans.get("quote", item.span),
                    hint=f"closest passage, para {n}: \"{shown}\"" if passage else "",
                )
            )
            return item
        if item.locator:
            return item
        if para > 0 and len(st.para_starts) - (1 - st.first_para) <= 1:
            return item  # "para 1" of a one-paragraph source tells the reader nothing
        return attrs.evolve(item, locator=f"para {para}" if para > 0 else "title")

    def fix_evidence(ev: Evidence) -> Evidence:
        return check(ev, f"evidence '{ev.id or '?'}'")  # type: ignore[return-value]

    def fix_answer(claim: Claim, question: str, answer: Answer) -> Answer:
        owner = f"{claim.kind} '{claim.id}'" if claim.id else claim.kind
        return check(answer, f"the answer of {owner} to '{question}'")  # type: ignore[return-value]

    if not _quotes_anything(amap.walk() if walked is None else walked):
        return amap, diags  # nothing to check or locate: no need to rebuild the tree to find that out
    return _map_quotes(amap, fix_evidence, fix_answer), diags


def _quotes_anything(walked: Iterable[Walked]) -> bool:
    """Whether any evidence item or answer of the walked map has a quote."""
    for w in walked:
        node = w.node
        if isinstance(node, Evidence):
            if node.quote:
                return True
        elif isinstance(node, Claim) and node.answers and any(a.quote for a in node.answers.values()):
            return True
    return False


def _map_quotes(amap: ArgumentMap, fn, fn_answer) -> ArgumentMap:
    """``amap`` with ``fn`` applied to every evidence item and ``fn_answer`` to every claim's
    answer with a quote; unchanged parts are kept, not copied.

    Recursive, but maps are at most ``MAX_DEPTH / 2`` claims deep (the reader's limit).
    """
    if amap.thesis is None:
        return amap

    def same(new: tuple, old: tuple) -> bool:
        return all(map(operator.is_, new, old))  # no Python frame per item: this walks every node

    def rebuild(claim: Claim) -> Claim:
        changes = {}
        for name in ("premises", "assumptions", "objections", "rebuttals"):
            items = getattr(claim, name)
            if items:
                new = tuple(rebuild_group(i) if isinstance(i, Group) else rebuild(i) for i in items)
                if not same(new, items):
                    changes[name] = new
        if claim.evidence:
            new = tuple(fn(e) for e in claim.evidence)
            if not same(new, claim.evidence):
                changes["evidence"] = new
        if claim.answers and any(a.quote for a in claim.answers.values()):
            answers = {q: fn_answer(claim, q, a) if a.quote else a for q, a in claim.answers.items()}
            if not same(tuple(answers.values()), tuple(claim.answers.values())):
                changes["answers"] = answers
        return attrs.evolve(claim, **changes) if changes else claim

    def rebuild_group(group: Group) -> Group:
        members = tuple(rebuild(p) for p in group.members)
        return group if same(members, group.members) else attrs.evolve(group, members=members)

    thesis = rebuild(amap.thesis)
    return amap if thesis is amap.thesis else attrs.evolve(amap, thesis=thesis)


__all__ = ["SourceSpan", "SourceText", "locate_quotes", "normalise", "resolve_text_path"]
