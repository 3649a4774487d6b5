"""Chinese tokenisation for retrieval: rjieba (jieba in Rust) with the platform's domain words.

Text is folded (NFKC, lower case), cut in jieba's search mode — a compound of the domain
dictionary such as 牵引电机 yields 牵引电机 *and* 牵引, 电机, so that a need written either way
meets a profile written the other way — and stripped of punctuation, bare numbers, single Latin
letters and function words. The same text always gives the same tokens; they are cached per
text, so that a profile or a need is cut once however often it is indexed or searched.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import rjieba

DATA = Path(__file__).resolve().parent / "data"
DOMAIN_TERMS = DATA / "domain_terms.txt"
STOPWORDS_FILE = DATA / "stopwords.txt"


def load_terms(path: Path = DOMAIN_TERMS) -> list[str]:
    """The words of a dictionary file: one per line, ``#`` starts a comment line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# Words that carry no meaning for matching a need with a profile.
STOPWORDS = frozenset(load_terms(STOPWORDS_FILE))


def fold(text: str) -> str:
    """NFKC (full-width letters and digits to half-width) and lower case."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


class _Keep(dict[str, str | None]):
    """Whether a token is kept, decided once per distinct token (a dict lookup after that):
    the first copy of the token when it is kept, so that every text shares that one string
    (2 million tokens of 50,000 profiles are some 7,000 distinct strings, not 200 MB of
    copies), else None."""

    def __missing__(self, token: str) -> str | None:
        kept = self[token] = token if _keep(token) else None
        return kept


def _keep(token: str) -> bool:
    if not token or token in STOPWORDS:
        return False
    if not any(ch.isalnum() for ch in token):
        return False  # punctuation, spaces
    if token.isdigit():
        return False
    return not (token.isascii() and len(token) == 1)


class Tokenizer:
    """Cuts text into search tokens; build once (loading jieba's dictionary takes ~0.2 s)."""

    def __init__(
        self, words: Iterable[str] = (), *, domain: bool = True, cache_size: int = 200_000
    ):
        self._jieba = rjieba.Jieba()
        self._cache: dict[str, tuple[str, ...]] = {}
        self._keep = _Keep()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.words: set[str] = set()
        self.add_words([*(load_terms() if domain else ()), *words])

    def add_words(self, words: Iterable[str]) -> None:
        """Make ``words`` (industry, discipline, product terms) whole tokens."""
        added = False
        with self._lock:
            for word in words:
                folded = fold(word.strip())
                if len(folded) < 2 or folded in self.words or any(c.isspace() for c in folded):
                    continue
                self._jieba.add_word(folded, None, None)
                self.words.add(folded)
                added = True
            if added:
                self._cache.clear()

    def tokens(self, text: str) -> tuple[str, ...]:
        """The search tokens of ``text``, in order of appearance (repeats kept)."""
        found = self._cache.get(text)
        if found is not None:
            return found
        cut = self._jieba.cut_for_search(fold(text), True)
        tokens = tuple(filter(None, map(self._keep.__getitem__, cut)))
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[text] = tokens
        return tokens

    def tokenize_many(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        return [self.tokens(text) for text in texts]

    def cached(self) -> int:
        """How many texts have their tokens cached."""
        return len(self._cache)


@cache
def default_tokenizer() -> Tokenizer:
    """The process-wide tokenizer with the domain dictionary."""
    return Tokenizer()
