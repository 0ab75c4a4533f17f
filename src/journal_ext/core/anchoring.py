"""Anchoring a passage of a cell's text so that it survives edits (W3C Web Annotation selectors).

A passage is described twice, as the W3C Web Annotation model does:

- a :class:`TextQuoteSelector`: the passage's exact text with up to
  :data:`CONTEXT_LENGTH` characters before (``prefix``) and after (``suffix``);
- a :class:`TextPositionSelector`: where it starts and ends.

Positions count **Unicode code points**, which is what Python's ``str``
indices are: "é" (U+00E9), "’" and "🌱" each count as one. JavaScript
strings count UTF-16 code units, in which "🌱" is two: a browser UI must
convert (``Array.from(text.slice(0, i)).length`` gives the code point
offset of UTF-16 index ``i``). Text is compared as stored, without Unicode
normalisation: a composed "é" and "e" + U+0301 differ (the fuzzy step still
finds them close).

:func:`anchor` finds the passage again in a cell's current text, in order:

1. ``position``: the text at the stored position is still the exact quote;
2. ``quote``: the exact quote occurs elsewhere; when it occurs several
   times, the occurrence whose surroundings best match the stored prefix and
   suffix wins, then the one nearest the old position;
3. ``fuzzy``: an approximate copy of the quote whose similarity (difflib's
   ratio) is at least :data:`FUZZY_THRESHOLD`. First the passage edited in
   place: the text between unchanged copies of the prefix and the suffix.
   Otherwise the best copy anywhere, judged on its similarity and on how
   much its surroundings resemble the prefix and suffix (a passage shorter
   than :data:`FUZZY_SHORT_LENGTH` needs surroundings that still resemble
   them: short phrases recur too often to be recognised by themselves);
4. otherwise ``None``: the annotation is orphaned (shown with its quote,
   never dropped).

The work is bounded so that cells of tens of thousands of characters stay
fast: candidate places come from a sample of the quote's character n-grams,
only a few of them are aligned with difflib, and a long quote is located by
its two ends. Nothing here touches the database.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

# Characters of context kept before and after a passage (as Hypothesis does).
CONTEXT_LENGTH = 32
# Lowest difflib similarity ratio at which a changed passage still anchors.
FUZZY_THRESHOLD = 0.75
# A quote shorter than this is too short to recognise once changed.
FUZZY_MIN_LENGTH = 4
# A quote longer than this is located by its two ends (each this long at most)
# instead of being aligned character by character: alignment grows with the
# square of the length.
FUZZY_FULL_LENGTH = 500
FUZZY_EDGE_LENGTH = 160
# How many n-grams of the quote are looked up in the text, and how many
# candidate places are aligned.
FUZZY_SAMPLES = 48
FUZZY_CANDIDATES = 4
# A changed passage shorter than this anchors only where the text around it
# still resembles its prefix and suffix at least this much.
FUZZY_SHORT_LENGTH = 32
FUZZY_SHORT_CONTEXT = 0.5
# Weight of the surroundings (prefix, suffix) against the passage itself when
# choosing among approximate copies.
CONTEXT_WEIGHT = 0.8
# Exact copies of the stored prefix or suffix (at least this long) point to
# places examined too, the few nearest the old position.
FUZZY_MIN_CONTEXT = 8
FUZZY_BRACKETS = 2
# Occurrences of an exact quote scored by their context, at most.
MAX_OCCURRENCES = 10_000

HOW = ("position", "quote", "fuzzy")

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class TextQuoteSelector:
    """The passage's exact text and the text around it."""

    exact: str
    prefix: str = ""
    suffix: str = ""

    def to_w3c(self) -> dict[str, Any]:
        """The selector as W3C JSON-LD."""
        return {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}


@dataclass(frozen=True)
class TextPositionSelector:
    """Where the passage starts and ends, in Unicode code points (end excluded)."""

    start: int
    end: int

    def to_w3c(self) -> dict[str, Any]:
        """The selector as W3C JSON-LD."""
        return {"type": "TextPositionSelector", "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Selectors:
    """A passage described both by quote and by position."""

    quote: TextQuoteSelector
    position: TextPositionSelector

    def to_w3c(self) -> list[dict[str, Any]]:
        """Both selectors, as the list a W3C annotation's target holds."""
        return [self.quote.to_w3c(), self.position.to_w3c()]


@dataclass(frozen=True)
class Anchor:
    """Where a passage stands in the current text, and how it was found there."""

    start: int
    end: int
    how: str
    similarity: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """The anchor as the API shows it."""
        return {"start": self.start, "end": self.end, "how": self.how, "similarity": round(self.similarity, 3)}


def describe(text: str, start: int, end: int) -> Selectors:
    """Selectors for ``text[start:end]`` (code point offsets), with up to CONTEXT_LENGTH characters of context."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"the passage {start}-{end} is outside a text of {len(text)} characters")
    return Selectors(
        TextQuoteSelector(
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT_LENGTH) : start],
            suffix=text[end : end + CONTEXT_LENGTH],
        ),
        TextPositionSelector(start, end),
    )


def anchor(text: str, selectors: Selectors) -> Anchor | None:
    """Find the passage in the current text: by position, then by quote, then fuzzily; None when it is gone."""
    quote, position = selectors.quote, selectors.position
    exact = quote.exact
    if not exact:
        return None
    start, end = position.start, position.end
    if start >= 0 and end - start == len(exact) and text[start:end] == exact:
        return Anchor(start, end, "position")
    found = _by_quote(text, quote, start)
    if found is not None:
        return Anchor(found, found + len(exact), "quote")
    return _fuzzy(text, quote, start)


# -- exact quote ---------------------------------------------------------------


def _common_prefix(a: str, b: str) -> int:
    n = 0
    # The shorter string bounds the common prefix.
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(text: str, start: int, end: int, quote: TextQuoteSelector) -> int:
    """How many characters of the stored prefix and suffix surround this occurrence."""
    before = text[max(0, start - len(quote.prefix)) : start]
    after = text[end : end + len(quote.suffix)]
    score = _common_suffix(before, quote.prefix) + _common_prefix(after, quote.suffix)
    # A context shorter than CONTEXT_LENGTH reached the start (or end) of the text.
    if len(quote.prefix) < CONTEXT_LENGTH and start == len(quote.prefix) and text.startswith(quote.prefix):
        score += 1
    if len(quote.suffix) < CONTEXT_LENGTH and len(text) - end == len(quote.suffix) and text.endswith(quote.suffix):
        score += 1
    return score


def _by_quote(text: str, quote: TextQuoteSelector, old_start: int) -> int | None:
    """The start of the occurrence of the exact quote that best fits its context and old place."""
    exact = quote.exact
    best: tuple[int, int] | None = None
    best_start: int | None = None
    at = text.find(exact)
    seen = 0
    while at != -1 and seen < MAX_OCCURRENCES:
        rank = (_context_score(text, at, at + len(exact), quote), -abs(at - old_start))
        if best is None or rank > best:
            best, best_start = rank, at
        seen += 1
        at = text.find(exact, at + 1)
    return best_start


# -- fuzzy ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    """An approximate copy of a pattern: where, how similar, how similar its surroundings."""

    start: int
    end: int
    similarity: float
    context: float


def _ngram_size(length: int) -> int:
    return 4 if length >= 16 else 3 if length >= 8 else 2


def _candidates(text: str, pattern: str, old_start: int, lo: int = 0, before: str = "", after: str = "") -> list[int]:
    """Likely starts of an approximate copy of ``pattern`` in ``text[lo:]``, most likely first.

    A sample of the n-grams of the pattern and of its surroundings
    (``before``, ``after``) is looked up in the text; each hit votes for the
    start it implies. The surroundings make the place where the passage was
    annotated win over look-alikes elsewhere. Starts within a tolerance of one
    another pool their votes, so that insertions and deletions inside the
    passage don't split them.
    """
    q = _ngram_size(len(pattern))
    voting = before + pattern + after
    if len(pattern) < q or len(text) - lo < q:
        return []
    offsets: dict[str, list[int]] = {}
    stride = max(1, (len(voting) - q + 1) // FUZZY_SAMPLES)
    for k in range(0, len(voting) - q + 1, stride):
        offsets.setdefault(voting[k : k + q], []).append(k - len(before))
    votes: Counter[int] = Counter()
    for i in range(lo, len(text) - q + 1):
        ks = offsets.get(text[i : i + q])
        if ks:
            for k in ks:
                votes[i - k] += 1
    if not votes:
        return []
    tolerance = len(pattern) // 4 + 2
    starts = sorted(votes)
    running = [0]
    for start in starts:
        running.append(running[-1] + votes[start])
    # Each start pools the votes of the starts within the tolerance around it.
    pooled = sorted(
        (
            (
                running[bisect.bisect_right(starts, start + tolerance)]
                - running[bisect.bisect_left(starts, start - tolerance)],
                votes[start],
                -abs(start - old_start),
                start,
            )
            for start in starts
        ),
        reverse=True,
    )
    chosen: list[int] = []
    strongest = pooled[0][0]
    for pooled_votes, *_, start in pooled:
        if pooled_votes * 2 < strongest:
            # Far fewer shared n-grams than the best place: not worth aligning.
            break
        if all(abs(start - other) > tolerance for other in chosen):
            chosen.append(start)
            if len(chosen) == FUZZY_CANDIDATES:
                break
    return chosen


def _align(text: str, pattern: str, around: int) -> tuple[int, int, float] | None:
    """The span of text near ``around`` that best matches ``pattern``: (start, end, similarity)."""
    slack = len(pattern) // 4 + 8
    lo = max(0, around - slack)
    window = text[lo : around + len(pattern) + slack]
    blocks = [b for b in difflib.SequenceMatcher(None, window, pattern, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return None
    # Stray matches of a few letters away from the passage stretch the span:
    # keep the run of blocks whose estimated similarity (matched characters
    # against span and pattern lengths) is highest. There are few blocks.
    matched = [0]
    for block in blocks:
        matched.append(matched[-1] + block.size)
    best_estimate, first, last = -1.0, 0, len(blocks) - 1
    for i in range(len(blocks)):
        for j in range(i, len(blocks)):
            span = blocks[j].a + blocks[j].size - blocks[i].a
            estimate = 2 * (matched[j + 1] - matched[i]) / (span + len(pattern))
            if estimate > best_estimate:
                best_estimate, first, last = estimate, i, j
    start = lo + blocks[first].a
    end = lo + blocks[last].a + blocks[last].size
    similarity = difflib.SequenceMatcher(None, text[start:end], pattern, autojunk=False).ratio()
    return start, end, similarity


def _side_similarity(seen: str, stored: str, adjacent: int) -> float:
    """How much the text on one side of a span reads like the stored context (0 to 1).

    Half is difflib's ratio, half how many characters next to the passage
    are unchanged: the surroundings of the place where the passage was
    annotated are intact right up to it, those of a look-alike elsewhere
    rarely are.
    """
    ratio = difflib.SequenceMatcher(None, seen, stored, autojunk=False).ratio()
    if not stored:
        return ratio
    return (ratio + adjacent / len(stored)) / 2


def _context_similarity(text: str, start: int, end: int, prefix: str | None, suffix: str | None) -> float:
    """How much the text around a span reads like the stored prefix and suffix (0 to 1; None: not compared).

    The text compared is always CONTEXT_LENGTH long (less at the edges of the
    text), so that a short stored context, which reached the start or the end
    of the text, matches only there.
    """
    sides = []
    if prefix is not None:
        before = text[max(0, start - CONTEXT_LENGTH) : start]
        sides.append(_side_similarity(before, prefix, _common_suffix(before, prefix)))
    if suffix is not None:
        after = text[end : end + CONTEXT_LENGTH]
        sides.append(_side_similarity(after, suffix, _common_prefix(after, suffix)))
    return sum(sides) / len(sides) if sides else 0.0


def _bracketed(text: str, pattern: str, old_start: int, prefix: str | None, suffix: str | None) -> list[int]:
    """Starts implied by exact copies of the stored prefix (the passage follows it) or suffix (it precedes it).

    When the passage changed but its surroundings did not, they pin it down,
    even among look-alike paragraphs.
    """
    starts: list[int] = []
    for context, implied in ((prefix, len(prefix or "")), (suffix, -len(pattern))):
        if context is None or len(context) < FUZZY_MIN_CONTEXT:
            continue
        found: list[int] = []
        at = text.find(context)
        while at != -1 and len(found) < MAX_OCCURRENCES:
            found.append(at + implied)
            at = text.find(context, at + 1)
        starts += sorted(found, key=lambda s: abs(s - old_start))[:FUZZY_BRACKETS]
    return [s for s in starts if 0 <= s <= len(text)]


def _best_match(
    text: str,
    pattern: str,
    old_start: int,
    prefix: str | None = None,
    suffix: str | None = None,
    lo: int = 0,
) -> _Match | None:
    """The most convincing approximate copy of ``pattern`` in ``text[lo:]``, if one is similar enough.

    A copy must be at least FUZZY_THRESHOLD similar; a short pattern must
    also stand among surroundings that still resemble its prefix and suffix
    (short phrases recur too often to be recognised by themselves). Among
    acceptable copies, similarity plus CONTEXT_WEIGHT times the similarity of
    the surroundings wins, then closeness to the old start. The old start
    itself is always examined, and so are the places the stored prefix and
    suffix, found unchanged, point to.
    """
    candidates = _candidates(text, pattern, old_start, lo, prefix or "", suffix or "")
    tolerance = len(pattern) // 4 + 2
    for extra in [min(max(old_start, lo), len(text)), *_bracketed(text, pattern, old_start, prefix, suffix)]:
        if all(abs(extra - c) > tolerance for c in candidates):
            candidates.append(extra)
    best: tuple[float, int] | None = None
    found: _Match | None = None
    for candidate in candidates:
        aligned = _align(text, pattern, max(candidate, lo))
        if aligned is None or aligned[0] < lo or aligned[2] < FUZZY_THRESHOLD:
            continue
        start, end, similarity = aligned
        context = _context_similarity(text, start, end, prefix, suffix)
        if len(pattern) < FUZZY_SHORT_LENGTH and context < FUZZY_SHORT_CONTEXT:
            continue
        rank = (similarity + CONTEXT_WEIGHT * context, -abs(start - old_start))
        if best is None or rank > best:
            best, found = rank, _Match(start, end, similarity, context)
    return found


def _word_similarity(a: str, b: str) -> float:
    """Dice similarity of the two texts' multisets of words (a cheap bound for long passages)."""
    wa, wb = Counter(_WORD.findall(a.casefold())), Counter(_WORD.findall(b.casefold()))
    total = sum(wa.values()) + sum(wb.values())
    return 2 * sum((wa & wb).values()) / total if total else 0.0


def _prefix_ends(text: str, prefix: str) -> list[int]:
    """Where exact copies of a stored prefix end in the text.

    A prefix shorter than CONTEXT_LENGTH reached the start of the text, so it
    is only looked for there.
    """
    if len(prefix) < CONTEXT_LENGTH:
        return [len(prefix)] if text.startswith(prefix) else []
    ends: list[int] = []
    at = text.find(prefix)
    while at != -1 and len(ends) < MAX_OCCURRENCES:
        ends.append(at + len(prefix))
        at = text.find(prefix, at + 1)
    return ends


def _similarity(span: str, exact: str) -> float:
    """difflib's ratio, or for a long passage a cheaper bound on words (alignment grows with the square)."""
    if len(exact) <= FUZZY_FULL_LENGTH:
        return difflib.SequenceMatcher(None, span, exact, autojunk=False).ratio()
    if not FUZZY_THRESHOLD * len(exact) <= len(span) <= len(exact) / FUZZY_THRESHOLD:
        return 0.0
    return _word_similarity(span, exact)


def _between_context(text: str, quote: TextQuoteSelector, old_start: int) -> Anchor | None:
    """The passage edited in place: what lies between unchanged copies of its prefix and suffix, if similar enough.

    When the surroundings are intact on both sides, nothing else need be
    searched, even among look-alike paragraphs.
    """
    starts = sorted(_prefix_ends(text, quote.prefix), key=lambda p: abs(p - old_start))
    best: Anchor | None = None
    longest = len(quote.exact) / FUZZY_THRESHOLD + 1
    for start in starts[:FUZZY_BRACKETS]:
        if len(quote.suffix) < CONTEXT_LENGTH:
            # The suffix reached the end of the text: it is only looked for there.
            ends = [len(text) - len(quote.suffix)] if text.endswith(quote.suffix) else []
        else:
            # The suffix may recur inside a long passage: try its first few copies.
            ends = []
            end = text.find(quote.suffix, start)
            while end != -1 and end - start <= longest and len(ends) < FUZZY_CANDIDATES:
                ends.append(end)
                end = text.find(quote.suffix, end + 1)
        for end in ends:
            if end < start or end - start > longest:
                continue
            similarity = _similarity(text[start:end], quote.exact)
            if similarity >= FUZZY_THRESHOLD and (best is None or similarity > best.similarity):
                best = Anchor(start, end, "fuzzy", similarity)
    return best


def _fuzzy(text: str, quote: TextQuoteSelector, old_start: int) -> Anchor | None:
    exact = quote.exact
    if len(exact) < FUZZY_MIN_LENGTH or not text:
        return None
    in_place = _between_context(text, quote, old_start)
    if in_place is not None:
        return in_place
    if len(exact) <= FUZZY_FULL_LENGTH:
        found = _best_match(text, exact, old_start, quote.prefix, quote.suffix)
        return Anchor(found.start, found.end, "fuzzy", found.similarity) if found else None
    # A long passage: find its beginning and its end, then check that what
    # lies between still reads like the passage.
    edge = FUZZY_EDGE_LENGTH
    head = _best_match(text, exact[:edge], old_start, prefix=quote.prefix)
    if head is None:
        return None
    tail = _best_match(text, exact[-edge:], head.start + len(exact) - edge, suffix=quote.suffix, lo=head.start)
    if tail is None:
        return None
    start, end = head.start, tail.end
    if not FUZZY_THRESHOLD * len(exact) <= end - start <= len(exact) / FUZZY_THRESHOLD:
        return None
    similarity = min(head.similarity, tail.similarity, _word_similarity(text[start:end], exact))
    if similarity < FUZZY_THRESHOLD:
        return None
    return Anchor(start, end, "fuzzy", similarity)


def selectors_from(exact: str, prefix: str, suffix: str, start: int, end: int) -> Selectors:
    """Selectors rebuilt from their stored parts."""
    return Selectors(TextQuoteSelector(exact, prefix, suffix), TextPositionSelector(start, end))


__all__ = [
    "CONTEXT_LENGTH",
    "FUZZY_THRESHOLD",
    "Anchor",
    "Selectors",
    "TextPositionSelector",
    "TextQuoteSelector",
    "anchor",
    "describe",
    "selectors_from",
]
