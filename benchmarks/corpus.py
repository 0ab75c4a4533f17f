"""A cohort of learners and tutors with a journal database of a chosen size, built through the store.

The text is French-looking prose drawn from a fixed vocabulary with a Zipf
law, so that some words are in most cells (``COMMON_TERM``) and some in a
handful (``RARE_TERM``), as in real journals where "terrain" is everywhere
and "ressourcerie" in one group's notes.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from journal_ext.core.documents import assign_builtin_templates, ensure_initialised
from journal_ext.core.framework import default_framework
from journal_ext.db import CellRow, JournalStore

COHORT = "Promotion banc d'essai"
GROUPS = 16
LEARNERS_PER_GROUP = 4
GROUPS_PER_TUTOR = 4
CELLS_PER_DOCUMENT = 10  # a title cell and nine writing cells
COMMON_TERM = "terrain"  # in most cells
RARE_TERM = "ressourcerie"  # in about one cell in 5,000
COMMON_SHARE = 0.6
RARE_EVERY = 5000

_WORDS = [
    "les",
    "des",
    "une",
    "pour",
    "dans",
    "avec",
    "sur",
    "qui",
    "que",
    "est",
    "sont",
    "nous",
    "leur",
    "elle",
    "ils",
    "mais",
    "aussi",
    "plus",
    "comme",
    "habitants",
    "quartier",
    "projet",
    "groupe",
    "centre",
    "social",
    "association",
    "animation",
    "atelier",
    "réunion",
    "bénévoles",
    "familles",
    "jeunes",
    "enfants",
    "parents",
    "école",
    "mairie",
    "commune",
    "territoire",
    "partenaires",
    "diagnostic",
    "observation",
    "entretien",
    "enquête",
    "question",
    "hypothèse",
    "analyse",
    "démarche",
    "collective",
    "participation",
    "pouvoir",
    "agir",
    "accompagnement",
    "travail",
    "éducateur",
    "usagers",
    "public",
    "accueil",
    "permanence",
    "logement",
    "emploi",
    "insertion",
    "santé",
    "culture",
    "sport",
    "jardin",
    "cuisine",
    "marché",
    "local",
    "économie",
    "solidaire",
    "coopérative",
    "emploi",
    "réseau",
    "financement",
    "subvention",
    "budget",
    "commande",
    "théorie",
    "pratique",
    "posture",
    "réflexion",
    "apprentissage",
    "formation",
    "tutrice",
    "séance",
    "journée",
    "matin",
    "après-midi",
    "semaine",
    "mois",
    "dernier",
    "prochain",
    "premier",
    "nouveau",
    "ancien",
    "difficile",
    "important",
    "rencontre",
    "échange",
    "parole",
    "écoute",
    "confiance",
    "conflit",
    "médiation",
    "décision",
    "vote",
    "assemblée",
    "professionnel",
    "dispositif",
    "institution",
    "politique",
    "publique",
    "acteurs",
    "ressources",
    "besoins",
]


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    syllables = [
        "ba",
        "ce",
        "di",
        "fo",
        "gu",
        "la",
        "me",
        "ni",
        "po",
        "ru",
        "sa",
        "te",
        "vi",
        "zo",
        "ché",
        "ment",
        "tion",
        "eur",
    ]
    invented = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(6000)}
    words = [w for w in _WORDS if w not in (COMMON_TERM, RARE_TERM)]
    words += sorted(invented - set(words))
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    return words, weights


class TextMaker:
    """Deterministic prose of a given length, with the common term in most cells and the rare one in few."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.words, self.weights = _vocabulary(self.rng)
        self.count = 0

    def text(self, length: int) -> str:
        """About ``length`` characters of prose."""
        self.count += 1
        words = self.rng.choices(self.words, self.weights, k=max(3, length // 7))
        if self.rng.random() < COMMON_SHARE:
            words[self.rng.randrange(len(words))] = COMMON_TERM
        if self.count % RARE_EVERY == 0:
            words[self.rng.randrange(len(words))] = RARE_TERM
        sentences, out = [], []
        for n, word in enumerate(words, 1):
            out.append(word)
            if n % 14 == 0:
                sentences.append(" ".join(out).capitalize() + ".")
                out = []
        if out:
            sentences.append(" ".join(out).capitalize() + ".")
        return " ".join(sentences)[: max(length, 20)]


@dataclass(frozen=True)
class World:
    """Who is in the benchmark cohort."""

    learners: tuple[str, ...]
    tutors: tuple[str, ...]
    group_of: dict[str, int]


def learner_name(n: int) -> str:
    return f"learner{n:02d}"


def answer_cell(cell_id: str, source: str, section: str) -> CellRow:
    """A learner's writing cell, as templates make them."""
    return CellRow(
        cell_id=cell_id,
        position=0,
        cell_type="markdown",
        source=source,
        section_key=section,
        metadata={"journal": {"schema_version": 1, "role": "answer", "section": section}},
    )


def entry_cells(title: str, texts: list[str]) -> list[CellRow]:
    """A learning-journal entry: a title cell and one writing cell per text."""
    cells = [
        CellRow(
            cell_id="title",
            position=0,
            cell_type="markdown",
            source=f"# {title}",
            metadata={"journal": {"schema_version": 1, "role": "title"}},
        )
    ]
    cells += [answer_cell(f"s{n}", text, f"section{n}") for n, text in enumerate(texts, 1)]
    return cells


def build_people(store: JournalStore) -> World:
    """The cohort: 16 groups of 4 learners, one tutor for every 4 groups."""
    ensure_initialised(store)
    store.add_cohort(COHORT, framework_id=default_framework().id, language="fr")
    learners, tutors, group_of = [], [], {}
    for g in range(GROUPS):
        group = store.add_group(COHORT, f"Groupe {g:02d}", commission=f"Commande {g}")
        assign_builtin_templates(store, group["id"], "fr")
        for n in range(LEARNERS_PER_GROUP):
            name = learner_name(g * LEARNERS_PER_GROUP + n)
            store.add_member(f"{COHORT}/Groupe {g:02d}", name, "learner", display_name=name.title())
            learners.append(name)
            group_of[name] = group["id"]
        tutor = f"tutor{g // GROUPS_PER_TUTOR}"
        store.add_member(f"{COHORT}/Groupe {g:02d}", tutor, "tutor", display_name=tutor.title())
        if tutor not in tutors:
            tutors.append(tutor)
    return World(tuple(learners), tuple(tutors), group_of)


def build_database(path: Path, cells: int, *, seed: int = 7, text_length: tuple[int, int] = (200, 1200)) -> World:
    """A journal database holding about ``cells`` cells of learning-journal entries, spread over the learners."""
    maker = TextMaker(seed)
    with JournalStore(path) as store:
        world = build_people(store)
        documents = max(1, cells // CELLS_PER_DOCUMENT)
        with store.write():
            for n in range(documents):
                owner = world.learners[n % len(world.learners)]
                texts = [maker.text(maker.rng.randint(*text_length)) for _ in range(CELLS_PER_DOCUMENT - 1)]
                store.create_document(
                    kind="learning_journal",
                    title=f"Entrée {n:06d}",
                    owner=owner,
                    group_id=world.group_of[owner],
                    visibility="tutors",
                    template_version_id=None,
                    cells=entry_cells(f"Entrée {n:06d}", texts),
                )
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return world


def copy_database(source: Path, destination: Path) -> Path:
    """A fresh copy of a built database (its -wal was checkpointed away when it was built), at today's schema.

    A database built by an earlier version and kept in the work folder gets the migrations since.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(destination) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, destination)
    JournalStore(destination).close()
    # Written to disk before anything is timed: on ext4 a commit's fsync waits for the other files'
    # dirty pages, and the first saves of a run on a fresh copy of 2 GB waited up to 2 s for it.
    os.sync()
    return destination


def world_of(store: JournalStore) -> World:
    """The people of a database made by :func:`build_database`."""
    learners, tutors, group_of = [], [], {}
    for group in store.list_groups(COHORT):
        for member in store.members(group["id"]):
            if member["role"] == "learner":
                learners.append(member["user"])
                group_of[member["user"]] = group["id"]
            elif member["user"] not in tutors:
                tutors.append(member["user"])
    return World(tuple(sorted(learners)), tuple(sorted(tutors)), group_of)
