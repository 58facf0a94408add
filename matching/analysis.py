"""Dutch text analysis shared by search (both backends) and the supplier ranking: same words, same finds.

Folds case and diacritics, drops stop words, splits compounds of common trade words
("schoonmaakbedrijf" also indexes "schoonmaak" and "bedrijf") and reduces plurals with a
light rule set: Snowball's Dutch stemmer alone treats "fiets" and "fietsen", or "bedrijf"
and "bedrijven", as different words.
"""

from __future__ import annotations

import csv
import html
import re
from functools import lru_cache
from pathlib import Path

from matching.text import fold

TOKEN = re.compile(r"[a-z0-9]+(?:'s)?")
RAW_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # a word as written, before folding
STOP_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "in",
        "op",
        "te",
        "voor",
        "met",
        "aan",
        "bij",
        "door",
        "om",
        "of",
        "als",
        "is",
        "zijn",
        "wij",
        "we",
        "u",
        "uw",
        "ons",
        "onze",
        "die",
        "dat",
        "dit",
        "deze",
        "er",
        "ook",
        "naar",
        "tot",
        "uit",
        "over",
        "onder",
        "maar",
        "niet",
        "wordt",
        "worden",
        "zo",
    ]
)
# Trade words that make up compounds in register texts and searches; heads and modifiers alike.
COMPOUND_PARTS = frozenset(
    [
        "schoonmaak",
        "bedrijf",
        "bedrijven",
        "dienst",
        "diensten",
        "dienstverlening",
        "werk",
        "werkplaats",
        "plaats",
        "makerij",
        "maker",
        "fiets",
        "fietsen",
        "reparatie",
        "koerier",
        "koeriers",
        "hout",
        "houtwerk",
        "meubel",
        "meubels",
        "meubelmakerij",
        "koffie",
        "thee",
        "brood",
        "bakkerij",
        "bakker",
        "catering",
        "kantine",
        "keuken",
        "restaurant",
        "horeca",
        "lunch",
        "groen",
        "groenvoorziening",
        "tuin",
        "hovenier",
        "kwekerij",
        "bouw",
        "klus",
        "klussen",
        "onderhoud",
        "schilder",
        "schilders",
        "schilderwerk",
        "verhuis",
        "verhuizing",
        "pakket",
        "post",
        "druk",
        "drukwerk",
        "drukkerij",
        "papier",
        "textiel",
        "stof",
        "naai",
        "kleding",
        "was",
        "wasserij",
        "glazenwasser",
        "glas",
        "zeep",
        "kaas",
        "zorg",
        "thuiszorg",
        "recycling",
        "kringloop",
        "afval",
        "reiniging",
        "beveiliging",
        "administratie",
        "advies",
        "bureau",
        "ict",
        "data",
        "software",
        "web",
        "test",
        "testlab",
        "lab",
        "studio",
        "atelier",
        "winkel",
        "handel",
        "groothandel",
        "transport",
        "logistiek",
        "vervoer",
        "koffiebranderij",
        "branderij",
        "specerij",
        "specerijen",
        "zuivel",
        "voeding",
        "food",
        "kinderopvang",
        "opvang",
        "creche",
        "energie",
    ]
)
MIN_PART = 3
SYNONYMS_FILE = Path(__file__).with_name("data") / "search_synonyms.csv"


@lru_cache(maxsize=65536)
def plural_to_singular(word: str) -> str:
    """'bedrijven' -> 'bedrijf', 'fietsen' -> 'fiets', 'huizen' -> 'huis', 'bakkers' -> 'bakker'."""
    if word.endswith("'s"):
        return word[:-2]
    if len(word) > 5 and word.endswith("heden"):
        return word[:-5] + "heid"
    if len(word) > 4 and word.endswith("en"):
        stem = word[:-2]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
            stem = stem[:-1]  # wassen -> was, bakken -> bak
        elif len(stem) > 2 and stem[-1] not in "aeiouy" and stem[-2] in "aou" and stem[-3] not in "aeiou":
            stem = stem[:-1] + stem[-2] + stem[-1]  # kopen -> koop, straten -> straat
        if stem.endswith("v"):
            stem = stem[:-1] + "f"
        elif stem.endswith("z"):
            stem = stem[:-1] + "s"
        return stem
    if len(word) > 4 and word.endswith("s") and word[-2] in "rle":
        return word[:-1]  # bakkers, winkels, hoveniers
    return word


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """Known trade words a compound is made of, in order; () when it is not such a compound."""
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        if head in COMPOUND_PARTS:
            if tail in COMPOUND_PARTS or plural_to_singular(tail) in COMPOUND_PARTS:
                return (head, tail)
            rest = compound_parts(tail)
            if rest:
                return (head, *rest)
    return ()


@lru_cache(maxsize=262144)
def word_forms(raw: str) -> tuple[str, ...]:
    """The folded words in one raw word (a RAW_WORD match), stop words and single letters left out.
    Every analysis below (search's index and query terms, the ranking's evidence and its quotes)
    goes through this one function, so search and ranking read the same words."""
    folded = raw.lower() if raw.isascii() else fold(raw)  # a raw word has no entity or space to clean
    return tuple(w for w in TOKEN.findall(folded) if w not in STOP_WORDS and len(w) > 1)


@lru_cache(maxsize=262144)
def raw_terms(raw: str) -> tuple[str, ...]:
    """The index terms (singulars) of one raw word: what the ranking counts and quotes by."""
    return tuple(plural_to_singular(word) for word in word_forms(raw))


def words(text: str | None) -> list[str]:
    """Folded words without stop words, as a person typed them (for suggestions)."""
    return [word for raw in RAW_WORD.findall(html.unescape(text or "")) for word in word_forms(raw)]


def term_spans(text: str) -> list[tuple[str, int, int]]:
    """(index term, start, end) for each word of a text, positions in the text as written (for
    quoting the words that matched)."""
    return [
        (term, match.start(), match.end())
        for match in RAW_WORD.finditer(text)
        for term in raw_terms(match.group())
    ]


def index_terms(text: str | None) -> list[str]:
    """Terms to index for a text: each word's singular, plus the parts of known compounds."""
    terms: list[str] = []
    for singular in query_terms(text):
        terms.append(singular)
        terms.extend(plural_to_singular(part) for part in compound_parts(singular))
    return terms


def query_terms(text: str | None) -> list[str]:
    """One normalised term per query word (compound parts are matched through the index side)."""
    return [term for raw in RAW_WORD.findall(html.unescape(text or "")) for term in raw_terms(raw)]


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """What a typed word also means, from matching/data/search_synonyms.csv (index words, singular)."""
    with SYNONYMS_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {
            fold(row["typed"]): tuple(plural_to_singular(word) for word in row["means"].split())
            for row in rows
        }


@lru_cache(maxsize=65536)
def query_alternatives(word: str) -> tuple[str, ...]:
    """Index words a query word also finds: its synonyms (an English trade word, an agent noun such
    as "glazenwasser"), and by rule the trade of a Dutch agent noun: "meubelmaker" -> "meubelmakerij",
    "meubel"; "schoonmaker" -> "schoonmaak"; "bakker" -> "bakkerij". Never the word itself."""
    singular = plural_to_singular(word)
    found: list[str] = [*synonyms().get(word, ()), *synonyms().get(singular, ())]
    if not found and singular.endswith("maker") and len(singular) > len("maker") + 2:
        trade = singular[: -len("maker")]
        found += [f"{trade}makerij", f"{trade}maak", plural_to_singular(trade)]
    elif not found and singular.endswith("er") and len(singular) > 4:
        found.append(f"{singular}ij")  # drukker -> drukkerij, brouwer -> brouwerij
    return tuple(dict.fromkeys(term for term in found if term != singular))


def query_expansions(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What one query term finds besides itself, for both search backends: other index words
    (query_alternatives) and the prefixes of words that start with it or with one of those."""
    words = query_alternatives(term)
    return words, tuple(word for word in (term, *words) if finds_compounds(word))


def finds_compounds(word: str) -> bool:
    """Whether a query word also finds words that start with it: a trade word such as "koffie" finds
    "koffiehuis" and "koffiebar", which the compound list cannot all know."""
    return word in COMPOUND_PARTS and len(word) >= 5
