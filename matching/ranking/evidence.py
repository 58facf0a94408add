"""Fit from evidence: a BM25F-style text ranking over a supplier's own fields (name, register
sector, owner offerings, description), with Dutch analysis, and the words of its own that matched.

Analysis (matching.analysis, shared with search): folded words without stop words, plurals to
singulars; a compound is split into words the pool itself uses on their own ("schoonmaakbedrijf":
"schoonmaak", "bedrijf"), never into arbitrary fragments ("hand" is not in "second-hand", which
the tokenizer already splits); a part counts half. A need's word that no supplier uses is looked up
as a typo in the pool's vocabulary; synonyms, English trade words and agent nouns come from
matching/data/search_synonyms.csv. Common words weigh little by their document frequency in the
pool (IDF), and sentences that many suppliers share word for word (the registers' boilerplate) are
not read at all. Each field's term frequency saturates (BM25's k1) after length normalisation (b).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from matching.analysis import (
    COMPOUND_PARTS,
    RAW_WORD,
    compound_parts,
    plural_to_singular,
    query_alternatives,
    raw_terms,
    term_spans,
    words,
)

FIELDS = ("name", "sector", "offering", "description")
# The register's sector is a broad category ("Schoonmaak & facilitair" holds laundries too): it weighs
# less than what the supplier itself offers. 1.5 was chosen in each of the five cross-validation folds
# of the blind-judged development set (benchmarks/data/relevance_after.txt).
BOOST = {"name": 1.5, "sector": 1.5, "offering": 2.5, "description": 1.0}
LENGTH_B = {"name": 0.3, "sector": 0.3, "offering": 0.5, "description": 0.75}
K1 = 1.2
PART_TF = 0.5  # a compound's part counts as half an occurrence
ALTERNATIVE = 0.8  # a synonym, agent noun or typo counts this much of the word itself
MIN_PART = 4
MIN_MODIFIER = 6  # a modifier the pool never uses alone still counts from this length ("verhuis"-service)
TYPO_RATIO = 85
TYPO_MIN_LENGTH = 5
BOILERPLATE_SHARERS = 3  # a sentence of BOILERPLATE_WORDS words or more that this many suppliers share
BOILERPLATE_WORDS = 5
QUOTE_CHARS = 70
SENTENCE = re.compile(r"[^.!?\n;]+")
# Words a need uses around what it wants, and words every supplier's text uses about itself:
# they are never evidence of a trade ("medewerkers" in "lunch voor 40 medewerkers").
GENERIC = frozenset(
    [
        "zoek",
        "zoeken",
        "gezocht",
        "partij",
        "onze",
        "ons",
        "nieuw",
        "nieuwe",
        "project",
        "projectteam",
        "team",
        "locatie",
        "locaties",
        "medewerker",
        "mens",
        "organisatie",
        "onderneming",
        "sociaal",
        "sociale",
        "social",
        "enterprise",
        "bedrijf",
        "werk",
        "werken",
        "dienst",
        "dienstverlening",
        "service",
        "services",
        "company",
        "companies",
        "business",
        "inclusief",
        "eventueel",
        "optioneel",
        "tijdens",
        "per",
        "ca",
        "circa",
        "etc",
        "plus",
        "the",
        "and",
        "for",
        "our",
        "with",
        "from",
        "of",
        "to",
        "in",
        "on",
        "at",
        "we",
        "a",
        "an",
        "or",
        "by",
        "as",
        "is",
        "are",
        "be",
        "all",
        "any",
        "new",
        "need",
        "needs",
        "looking",
        "provide",
        "provision",
        "including",
        "include",
        "optional",
        "also",
        "regional",
        "office",
        "site",
        "wij",
        "hun",
        "hen",
        "heeft",
        "hebben",
        "kunnen",
        "wil",
        "willen",
        "graag",
        "hele",
        "elke",
        "alle",
        "andere",
        "waar",
        "wat",
        "wie",
        "zoals",
        "enkele",
        "dagelijks",
        "wekelijks",
        "maandelijks",
        "periodiek",
        "jaarlijks",
        "gemeente",
        "stichting",
        "bv",
        "vof",
    ]
)


# Words about the contractor's own work, around what it needs ("tijdens de bouw", "de bouwkeet").
CONTEXT = frozenset(
    [
        "bouw",
        "bouwen",
        "bouwplaats",
        "bouwkeet",
        "bouwket",
        "bouwproject",
        "bouwteam",
        "bouwvergadering",
        "bouwoverleg",
        "bouwperiode",
        "uitvoering",
        "renovatie",
        "nieuwbouw",
        "project",
        "projectkantoor",
        "projectteam",
        "contract",
        "opdracht",
        "aannemer",
        "opdrachtgever",
        "construction",
        "stad",
        "kantoor",
        "kantoorpand",
        "pand",
        "werkplek",
        "gebouw",
    ]
)


@lru_cache(maxsize=16384)
def word_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """(index term, start, end) for each word of the raw text (matching.analysis.term_spans, the
    analysis search uses too). Remembered: the same suppliers' texts are quoted need after need."""
    return tuple(term_spans(text))


@dataclass(frozen=True)
class Concept:
    """One word of the need and the index words that count as it, each with its share."""

    word: str  # as typed (folded)
    alternatives: tuple[tuple[str, float], ...]  # (index word, share)


@dataclass(frozen=True)
class Quote:
    word: str  # the need's word
    field: str
    text: str  # the supplier's own words, verbatim


class TextIndex:
    """Per analysed term: which candidates have it, with their BM25F-saturated weight.

    Built once per pool, in arrays: each field text is analysed once (identical texts, such as a
    register's sector names, only once for the whole pool), every (candidate, field, term) count
    goes into flat arrays, and the length normalisation, field boosts and saturation are computed
    for all of them at once with numpy. Postings are one slice per term of two sorted arrays."""

    def __init__(self, fields: Sequence[dict[str, str]], pause: Callable[[], None] | None = None) -> None:
        pause = pause or _no_pause
        self.size = len(fields)
        descriptions = strip_boilerplate([item.get("description", "") for item in fields])
        self.texts = [item | {"description": text} for item, text in zip(fields, descriptions, strict=True)]
        self.raw = list(fields)  # the supplier's own texts, for checking quotes
        self._parts: dict[str, tuple[str, ...]] = {}
        self.term_id: dict[str, int] = {}
        field_no = {name: number for number, name in enumerate(FIELDS)}
        analysed: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # field text -> (term ids, counts)
        pieces: list[tuple[int, int, np.ndarray, np.ndarray]] = []
        for index, item in enumerate(self.texts):
            if index % 512 == 0:
                pause()
            for name, text in item.items():
                number = field_no.get(name)
                if number is None or not text:
                    continue
                found = analysed.get(text)
                if found is None:
                    found = analysed[text] = self._count(text)
                if len(found[0]):
                    pieces.append((index, number, *found))
        sizes = np.array([len(piece[2]) for piece in pieces], dtype=np.int64)
        doc = np.repeat(np.array([piece[0] for piece in pieces], dtype=np.int64), sizes)
        slot = np.repeat(np.array([piece[1] for piece in pieces], dtype=np.int64), sizes)
        term = np.concatenate([piece[2] for piece in pieces]) if pieces else np.zeros(0, dtype=np.int64)
        tf = np.concatenate([piece[3] for piece in pieces]) if pieces else np.zeros(0)
        pause()
        # the words each candidate uses on their own (document frequency): what compounds split into
        standalone_ids = np.unique(term * max(self.size, 1) + doc) // max(self.size, 1)
        frequency = np.bincount(standalone_ids, minlength=len(self.term_id))
        words = list(self.term_id)
        self.standalone: Counter[str] = Counter(dict(zip(words, frequency.tolist(), strict=True)))
        # a compound's parts count PART_TF of an occurrence, in the same field
        part_of: list[int] = []
        part_term: list[int] = []
        for number, word in enumerate(words):
            for part in self.parts(word):
                part_of.append(number)
                part_term.append(self.term_id.setdefault(part, len(self.term_id)))
        pause()
        lengths = np.bincount(doc * len(FIELDS) + slot, weights=tf, minlength=self.size * len(FIELDS))
        lengths = lengths.reshape(self.size, len(FIELDS)) if self.size else np.zeros((0, len(FIELDS)))
        average = lengths.mean(axis=0) if self.size else np.zeros(len(FIELDS))
        average = np.where(average > 0, average, 1.0)
        if part_of:
            order = np.argsort(np.array(part_of, dtype=np.int64), kind="stable")
            sources = np.array(part_of, dtype=np.int64)[order]
            targets = np.array(part_term, dtype=np.int64)[order]
            per_term = np.bincount(sources, minlength=len(words))
            starts = np.concatenate(([0], np.cumsum(per_term)))[:-1]
            repeat = per_term[term]
            entry = np.repeat(np.arange(len(term)), repeat)
            offset = np.arange(len(entry)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
            part_targets = targets[starts[term[entry]] + offset]
            doc_all = np.concatenate((doc, doc[entry]))
            slot_all = np.concatenate((slot, slot[entry]))
            term_all = np.concatenate((term, part_targets))
            tf_all = np.concatenate((tf, PART_TF * tf[entry]))
        else:
            doc_all, slot_all, term_all, tf_all = doc, slot, term, tf
        boost = np.array([BOOST[name] for name in FIELDS])
        b = np.array([LENGTH_B[name] for name in FIELDS])
        norm = 1 - b[slot_all] + b[slot_all] * lengths[doc_all, slot_all] / average[slot_all]
        weight = boost[slot_all] * tf_all / norm
        pause()
        key, inverse = np.unique(term_all * max(self.size, 1) + doc_all, return_inverse=True)
        combined = np.bincount(inverse.ravel(), weights=weight, minlength=len(key))
        self.posting_doc = key % max(self.size, 1)
        self.posting_weight = combined / (K1 + combined)
        posting_term = key // max(self.size, 1)
        per_term_count = np.bincount(posting_term, minlength=len(self.term_id))
        self.posting_start = np.concatenate(([0], np.cumsum(per_term_count))).astype(np.int64)
        found_count = per_term_count.astype(np.float64)
        self.idf_of = np.log(1 + (self.size - found_count + 0.5) / (found_count + 0.5))
        self.vocabulary = sorted(word for word in self.standalone if len(word) >= TYPO_MIN_LENGTH)
        self._typos = lru_cache(maxsize=4096)(self._typo_neighbours)

    def _count(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's analysed words as term ids (new words get the next id) and their counts."""
        counted = Counter(term for raw in RAW_WORD.findall(text) for term in raw_terms(raw))
        ids = self.term_id
        return (
            np.array([ids.setdefault(word, len(ids)) for word in counted], dtype=np.int64),
            np.array(list(counted.values()), dtype=np.float64),
        )

    def knows(self, word: str) -> bool:
        """Whether any candidate has the term (as a word or as a compound's part)."""
        number = self.term_id.get(word)
        return number is not None and self.posting_start[number + 1] > self.posting_start[number]

    def posting(self, word: str) -> tuple[np.ndarray, np.ndarray, float] | None:
        """The candidates with the term, their saturated weights, and the term's IDF."""
        number = self.term_id.get(word)
        if number is None:
            return None
        start, end = self.posting_start[number], self.posting_start[number + 1]
        if end == start:
            return None
        return self.posting_doc[start:end], self.posting_weight[start:end], float(self.idf_of[number])

    def parts(self, word: str) -> tuple[str, ...]:
        """The words a compound is made of, when both halves are words the pool uses on their own
        (allowing the linking -s-, -e- or -en-); () otherwise."""
        found = self._parts.get(word)
        if found is None:
            curated = tuple(plural_to_singular(part) for part in compound_parts(word))
            found = self._parts[word] = tuple(dict.fromkeys((*curated, *_split(word, self.standalone))))
        return found

    def _typo_neighbours(self, word: str) -> tuple[str, ...]:
        if len(word) < TYPO_MIN_LENGTH or not self.vocabulary:
            return ()
        found = process.extract(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO, limit=5)
        return tuple(w for w, _score, _i in found if abs(len(w) - len(word)) <= 2 and w != word)

    def concepts(self, text: str) -> list[Concept]:
        """The need's words that can be evidence, each with its alternatives."""
        found: dict[str, Concept] = {}
        for folded in words(text):  # as search reads a query: folded, without stop words
            if folded.isdigit():
                continue
            word = plural_to_singular(folded)
            if word in GENERIC or folded in GENERIC or word in CONTEXT or word in found:
                continue
            alternatives: dict[str, float] = {word: 1.0}
            for other in (*query_alternatives(folded), *query_alternatives(word)):
                alternatives.setdefault(other, ALTERNATIVE)
            if not self.knows(word):
                for part in _split(word, self.standalone) or _known_end(word, self.standalone):
                    if part not in GENERIC and part not in CONTEXT:
                        alternatives.setdefault(part, PART_TF)
                if not any(self.knows(other) for other in alternatives):
                    for other in self._typos(word):
                        alternatives.setdefault(other, ALTERNATIVE)
            alternatives = {w: s for w, s in alternatives.items() if w not in GENERIC}
            if alternatives:
                found[word] = Concept(folded, tuple(alternatives.items()))
        return list(found.values())

    def scores(self, concepts: Sequence[Concept]) -> tuple[np.ndarray, np.ndarray]:
        """Per candidate: the summed evidence over the need's words, and how many words matched."""
        total = np.zeros(self.size)
        matched = np.zeros(self.size, dtype=np.int64)
        for concept in concepts:
            best = np.zeros(self.size)
            for word, share in concept.alternatives:
                posting = self.posting(word)
                if posting is None:
                    continue
                indices, weights, idf = posting  # each candidate once per term
                best[indices] = np.maximum(best[indices], share * idf * weights)
            total += best
            matched += best > 0
        return total, matched

    def quotes(self, index: int, concepts: Sequence[Concept]) -> list[Quote]:
        """The supplier's own words that matched each of the need's words (verbatim, shortened
        to the clause around the word)."""
        found: list[Quote] = []
        item = self.texts[index]
        for concept in concepts:
            words = {word for word, _share in concept.alternatives}
            quote = _first_quote(item, words, self.parts)
            if quote is not None:
                found.append(Quote(concept.word, quote[0], quote[1]))
        return found


def _no_pause() -> None:
    return None


def _first_quote(
    item: dict[str, str], words: set[str], parts: Callable[[str], tuple[str, ...]]
) -> tuple[str, str] | None:
    for name in ("sector", "offering", "name", "description"):
        text = item.get(name, "")
        for word, start, end in word_spans(text):
            if word in words or words & set(parts(word)):
                return name, _clause(text, start, end)
    return None


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a word: from the previous to the next , ; . or line break, at most
    QUOTE_CHARS characters, cut at word boundaries; always a verbatim piece of the text."""
    left = max(text.rfind(mark, 0, start) for mark in ",;.:\n!?()") + 1
    rights = [p for p in (text.find(mark, end) for mark in ",;.:\n!?()") if p != -1]
    right = min(rights) if rights else len(text)
    if right - left > QUOTE_CHARS:
        left = max(left, start - QUOTE_CHARS // 2)
        right = min(right, max(end, left + QUOTE_CHARS))
        while left > 0 and text[left - 1].isalnum() and left < start:
            left += 1
        while right < len(text) and text[right].isalnum() and right > end:
            right -= 1
    return text[left:right].strip()


def _split(word: str, standalone: Counter[str]) -> tuple[str, ...]:
    if len(word) < 2 * MIN_PART:
        return ()
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        tail_word = plural_to_singular(tail)
        if tail_word not in standalone and tail not in standalone:
            continue
        for link in ("", "s", "e", "en"):
            if link and not head.endswith(link):
                continue
            modifier = head[: len(head) - len(link)] if link else head
            if len(modifier) >= MIN_PART and (
                modifier in standalone or plural_to_singular(modifier) in standalone
            ):
                return (plural_to_singular(modifier), tail_word if tail_word in standalone else tail)
    # a curated trade word at the start ("verhuis"-service): its trade, even where nobody in the
    # pool writes either half on its own
    for cut in range(len(word) - MIN_PART, MIN_MODIFIER - 1, -1):
        if word[:cut] in COMPOUND_PARTS:
            return (plural_to_singular(word[:cut]), plural_to_singular(word[cut:]))
    return ()


def _known_end(word: str, standalone: Counter[str]) -> tuple[str, ...]:
    """A need's compound the pool does not split: a word the pool uses that it ends with (its head,
    "kantoorschoonmaak") or else starts with ("schoonmaakdienst"), of MIN_MODIFIER letters or more."""
    for cut in range(1, len(word) - MIN_MODIFIER + 1):
        if word[cut:] in standalone:
            return (word[cut:],)
    for cut in range(len(word) - 1, MIN_MODIFIER - 1, -1):
        if word[:cut] in standalone:
            return (word[:cut],)
    return ()


def strip_boilerplate(texts: Sequence[str]) -> list[str]:
    """Each text without the sentences (of BOILERPLATE_WORDS words or more) that at least
    BOILERPLATE_SHARERS texts contain word for word: the registers' standard sentences."""
    sharers: Counter[str] = Counter()
    split = []
    known: dict[str, list[tuple[int, int, str]]] = {}  # the same text is split once
    for text in texts:
        sentences = known.get(text)
        if sentences is None:
            sentences = known[text] = [
                (m.start(), m.end(), " ".join(m.group().lower().split())) for m in SENTENCE.finditer(text)
            ]
        split.append(sentences)
        sharers.update({key for _s, _e, key in sentences if key.count(" ") + 1 >= BOILERPLATE_WORDS})
    kept = []
    for text, sentences in zip(texts, split, strict=True):
        pieces, position = [], 0
        for start, end, key in sentences:
            if sharers[key] >= BOILERPLATE_SHARERS and len(key.split()) >= BOILERPLATE_WORDS:
                pieces.append(text[position:start] + "\n")  # a quote never crosses the cut
                position = end
        pieces.append(text[position:])
        kept.append("".join(pieces) if position else text)
    return kept
