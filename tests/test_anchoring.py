"""Anchoring passages of a cell's text: W3C selectors, found again by position, quote or fuzzily, else orphaned."""

from __future__ import annotations

import time

import pytest

from journal_ext.core import anchoring
from journal_ext.core.anchoring import CONTEXT_LENGTH, Anchor, anchor, describe

ENTRY = (
    "Première réunion avec la directrice du centre social 🌱 : l’équipe d’animation "
    "nous a présenté le quartier, ses habitant·es et les « jardins partagés ». "
    "Nous avons noté qu’aucune démarche participative n’avait été évaluée."
)


def passage(text: str, words: str, occurrence: int = 0) -> tuple[int, int]:
    """Start and end (code points) of the n-th occurrence of some words."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


# -- describing a passage -------------------------------------------------------


def test_describe_keeps_the_quote_its_context_and_its_position():
    start, end = passage(ENTRY, "le quartier")
    selectors = describe(ENTRY, start, end)
    assert selectors.quote.exact == "le quartier"
    assert selectors.quote.prefix == ENTRY[start - CONTEXT_LENGTH : start]
    assert selectors.quote.suffix == ENTRY[end : end + CONTEXT_LENGTH]
    assert len(selectors.quote.prefix) == len(selectors.quote.suffix) == 32
    assert (selectors.position.start, selectors.position.end) == (start, end)
    assert selectors.to_w3c() == [
        {
            "type": "TextQuoteSelector",
            "exact": "le quartier",
            "prefix": selectors.quote.prefix,
            "suffix": selectors.quote.suffix,
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def test_context_stops_at_the_edges_of_the_text():
    selectors = describe("Un début et une fin", 0, 8)
    assert (selectors.quote.prefix, selectors.quote.exact, selectors.quote.suffix) == ("", "Un début", " et une fin")


def test_positions_count_unicode_code_points_not_utf16_units():
    # The seedling is one code point but two UTF-16 units: a browser's index is one more.
    start, end = passage(ENTRY, "l’équipe d’animation")
    assert ENTRY[:start].count("🌱") == 1
    utf16_start = len(ENTRY[:start].encode("utf-16-le")) // 2
    assert utf16_start == start + 1
    selectors = describe(ENTRY, start, end)
    assert selectors.quote.exact == "l’équipe d’animation" and end - start == 20
    assert "🌱" in selectors.quote.prefix
    assert anchor(ENTRY, selectors) == Anchor(start, end, "position")


def test_a_passage_outside_the_text_cannot_be_described():
    with pytest.raises(ValueError, match="outside a text of 5 characters"):
        describe("abcde", 2, 9)


# -- finding it again -----------------------------------------------------------


def test_unchanged_text_anchors_by_position():
    start, end = passage(ENTRY, "jardins partagés")
    assert anchor(ENTRY, describe(ENTRY, start, end)) == Anchor(start, end, "position")


def test_text_inserted_before_the_passage_anchors_by_quote_at_its_new_place():
    start, end = passage(ENTRY, "jardins partagés")
    selectors = describe(ENTRY, start, end)
    added = "Mardi 🌱🌱, au centre social. "
    assert len(added) == 28  # each seedling counts one
    edited = added + ENTRY
    found = anchor(edited, selectors)
    assert found is not None and found.how == "quote"
    assert (found.start, found.end) == (start + 28, end + 28)
    assert edited[found.start : found.end] == "jardins partagés"


def test_an_edit_inside_the_passage_anchors_fuzzily_around_the_new_words():
    start, end = passage(ENTRY, "l’équipe d’animation nous a présenté le quartier")
    selectors = describe(ENTRY, start, end)
    edited = ENTRY.replace("nous a présenté", "nous a longuement présenté")
    found = anchor(edited, selectors)
    assert found is not None and found.how == "fuzzy"
    assert edited[found.start : found.end] == "l’équipe d’animation nous a longuement présenté le quartier"
    assert anchoring.FUZZY_THRESHOLD <= found.similarity < 1


def test_a_rewritten_passage_is_orphaned():
    start, end = passage(ENTRY, "aucune démarche participative n’avait été évaluée")
    selectors = describe(ENTRY, start, end)
    edited = ENTRY.replace("aucune démarche participative n’avait été évaluée", "tout reste à faire.")
    assert anchor(edited, selectors) is None
    assert anchor("", selectors) is None


def test_duplicate_passages_anchor_to_the_occurrence_whose_context_matches():
    text = (
        "Au marché, les habitant·es parlent de la mobilité. "
        "Au conseil de quartier, les élu·es parlent de la mobilité. "
        "Au centre social, les jeunes parlent de la mobilité."
    )
    start, end = passage(text, "la mobilité", occurrence=1)
    selectors = describe(text, start, end)
    # A sentence added at the start shifts every occurrence; the one among the élu·es is still chosen.
    edited = "Le 3 mars. " + text
    found = anchor(edited, selectors)
    assert found is not None and found.how == "quote"
    assert "élu·es parlent de " in edited[found.start - 20 : found.start]
    assert found.start == start + len("Le 3 mars. ")


def test_identical_duplicates_anchor_to_the_one_nearest_the_old_place():
    line = "Nous avons noté la même chose ce jour-là, mot pour mot, sans rien changer du tout.\n"
    text = line * 5
    start = len(line) * 3 + line.index("la même chose")
    selectors = describe(text, start, start + len("la même chose"))
    edited = "Nouvelle ligne.\n" + text
    found = anchor(edited, selectors)
    assert found is not None and found.how == "quote"
    assert found.start == start + len("Nouvelle ligne.\n")


def test_when_the_annotated_occurrence_is_gone_another_occurrence_of_the_quote_wins():
    # Position, then quote, then fuzzy: an exact copy elsewhere beats a damaged original.
    text = "Les jardins partagés du nord. Les jardins partagés du sud."
    start, end = passage(text, "jardins partagés", occurrence=1)
    edited = text.replace("jardins partagés du sud", "potagers du sud")
    found = anchor(edited, describe(text, start, end))
    assert found is not None and found.how == "quote" and found.start == 4


def test_accented_text_apostrophes_and_emoji_in_and_around_the_passage():
    text = "Réunion à l’école 🌱🌿 : les parents d’élèves ont évoqué « l’accès aux loisirs » 😊."
    start, end = passage(text, "les parents d’élèves ont évoqué « l’accès aux loisirs »")
    selectors = describe(text, start, end)
    assert selectors.quote.prefix == "Réunion à l’école 🌱🌿 : "
    # An emoji typed before the passage moves it by exactly one code point.
    moved = anchor(text.replace("🌱", "🌱🌻"), selectors)
    assert moved == Anchor(start + 1, end + 1, "quote")
    # Straight apostrophes instead of curly ones: the same passage, fuzzily.
    straight = text.replace("’", "'")
    found = anchor(straight, selectors)
    assert found is not None and found.how == "fuzzy"
    assert straight[found.start : found.end] == "les parents d'élèves ont évoqué « l'accès aux loisirs »"


def test_composed_and_decomposed_accents_differ_but_anchor_fuzzily():
    text = "Une évaluation participative de l’été dernier, avec les bénévoles du centre."
    start, end = passage(text, "Une évaluation participative de l’été dernier")
    decomposed = text.replace("é", "e\u0301")
    found = anchor(decomposed, describe(text, start, end))
    assert found is not None and found.how == "fuzzy"
    assert decomposed[found.start : found.end] == "Une e\u0301valuation participative de l’e\u0301te\u0301 dernier"


# -- the fuzzy threshold ------------------------------------------------------------


CONTEXT_BEFORE = "Compte rendu de la séance du jeudi, écrit par le groupe. "
CONTEXT_AFTER = " Fin du compte rendu, à relire ensemble lundi prochain."
# 40 characters; the characters at these offsets are replaced by ones not in the text.
FORTY = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
INSIDE = (2, 5, 9, 13, 17, 21, 25, 29, 33, 36, 38)


def damaged(count: int) -> str:
    letters = list(FORTY)
    for offset in INSIDE[:count]:
        letters[offset] = "#"
    return "".join(letters)


@pytest.mark.parametrize(
    ("replaced", "expected"),
    [(8, 0.8), (10, 0.75), (11, None)],  # similarity = (40 - replaced) / 40
)
def test_fuzzy_matches_are_accepted_from_the_threshold_on(replaced, expected):
    text = CONTEXT_BEFORE + FORTY + CONTEXT_AFTER
    start = len(CONTEXT_BEFORE)
    selectors = describe(text, start, start + 40)
    edited = CONTEXT_BEFORE + damaged(replaced) + CONTEXT_AFTER
    found = anchor(edited, selectors)
    if expected is None:
        assert found is None
    else:
        assert found == Anchor(start, start + 40, "fuzzy", pytest.approx(expected))


def test_the_threshold_is_a_setting(monkeypatch):
    text = CONTEXT_BEFORE + FORTY + CONTEXT_AFTER
    start = len(CONTEXT_BEFORE)
    selectors = describe(text, start, start + 40)
    edited = CONTEXT_BEFORE + damaged(11) + CONTEXT_AFTER
    monkeypatch.setattr(anchoring, "FUZZY_THRESHOLD", 0.7)
    found = anchor(edited, selectors)
    assert found is not None and found.similarity == pytest.approx(0.725)
    monkeypatch.setattr(anchoring, "FUZZY_THRESHOLD", 0.9)
    assert anchor(CONTEXT_BEFORE + damaged(8) + CONTEXT_AFTER, selectors) is None


def test_a_short_changed_passage_needs_its_surroundings_to_anchor():
    text = "Au début de la séance, les jeunes ont parlé du stade municipal et de ses horaires."
    start, end = passage(text, "du stade")
    selectors = describe(text, start, end)
    same_place = text.replace("du stade", "du stadium")
    found = anchor(same_place, selectors)
    assert found is not None and found.how == "fuzzy" and found.start == start
    assert same_place[found.start : found.end] == "du stadium"
    elsewhere = "Le club du stadium joue le dimanche. Aucune autre nouvelle à signaler cette semaine."
    assert anchor(elsewhere, selectors) is None


def test_a_changed_passage_moved_elsewhere_in_the_cell_is_found():
    first = "Premier paragraphe sur la mobilité des jeunes dans le quartier nord.\n\n"
    second = "Deuxième paragraphe : le centre social propose un atelier vélo le mercredi après-midi.\n\n"
    text = first + second
    start, end = passage(text, "le centre social propose un atelier vélo le mercredi")
    selectors = describe(text, start, end)
    edited = (
        "Troisième paragraphe ajouté en tête.\n\n"
        + second.replace("atelier vélo", "atelier de réparation vélo")
        + first
    )
    found = anchor(edited, selectors)
    assert found is not None and found.how == "fuzzy"
    assert edited[found.start : found.end] == "le centre social propose un atelier de réparation vélo le mercredi"


# -- long passages and long cells -------------------------------------------------


def long_cell(paragraphs: int = 100) -> str:
    """About 20,000 characters of journal-like French text, every paragraph different."""
    return "".join(
        f"Séance {n} 🌱 : nous avons rencontré l’association n°{n * 7 % 97}, parlé du quartier "
        f"{'nord' if n % 2 else 'sud'} et des projets d’habitant·es ({n * 13 % 89} personnes). "
        f"Chaque séance est notée avec soin, numéro {n}, pour le diagnostic partagé du groupe.\n\n"
        for n in range(paragraphs)
    )


def test_a_long_passage_edited_in_its_middle_anchors_by_its_ends():
    text = long_cell()
    assert 18_000 < len(text) < 24_000
    start = text.index("Séance 10 ")
    end = text.index("Séance 20 ")
    assert end - start > anchoring.FUZZY_FULL_LENGTH
    selectors = describe(text, start, end)
    middle = text.index("Séance 15 ")
    edited = "Introduction.\n\n" + text[:middle] + "Une remarque insérée au milieu. " + text[middle:]
    found = anchor(edited, selectors)
    assert found is not None and found.how == "fuzzy"
    shift = len("Introduction.\n\n")
    assert (found.start, found.end) == (start + shift, end + shift + len("Une remarque insérée au milieu. "))


def test_a_long_passage_whose_middle_was_replaced_is_orphaned():
    text = long_cell()
    start, end = text.index("Séance 10 "), text.index("Séance 20 ")
    selectors = describe(text, start, end)
    middle = "Tout a été réécrit autrement, sans rapport avec le texte de départ. " * 20
    edited = text[: start + 200] + middle + text[end - 200 :]
    assert anchor(edited, selectors) is None


@pytest.mark.parametrize("length", [30, 200, 480, 2_000, 15_000])
def test_anchoring_in_a_20000_character_cell_stays_fast(length):
    text = long_cell()
    start = 2_500
    selectors = describe(text, start, start + length)
    # An edit inside the passage and text added before it: the fuzzy path, the slowest.
    cut = start + length // 2
    edited = "Ajout. " * 40 + text[:cut] + "[précision]" + text[cut + 3 :]
    began = time.perf_counter()
    found = anchor(edited, selectors)
    elapsed = time.perf_counter() - began
    assert found is not None and found.how == "fuzzy"
    assert abs(found.start - (start + 280)) <= 3
    assert elapsed < 1.0, f"{elapsed:.2f}s to anchor a {length}-character passage"
    # A passage that is gone is given up on quickly too.
    began = time.perf_counter()
    assert (
        anchor(long_cell(20)[:5000], describe("x" * 3 + "Rien de tout cela n’existe plus dans la cellule." * 3, 3, 100))
        is None
    )
    assert time.perf_counter() - began < 1.0
