"""spaCy for extraction: one blank Vietnamese pipeline, loaded once per process, whose lexemes
carry the folded form (textkeys.fold: "Ủy" -> "uy") as their NORM. A PhraseMatcher on NORM
then finds a gazetteer phrase whatever the diacritics, case or tone placement of the text.

Docs are built from the words of the clean text (`word_doc`), not by spaCy's tokenizer: the
matchers need words only, and building the Doc from a regex split is about twice as fast as
`nlp.make_doc` (measured on the seeds). Every token's offset in the text is kept beside the Doc.
"""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .textkeys import fold

# a word that starts at a word boundary with a letter: no number is ever a phrase's first word,
# and numbers would only grow the vocabulary of a long-running worker
_WORD_RE = re.compile(r"(?<!\w)[^\W\d_]\w*")


@lru_cache(maxsize=1)
def nlp() -> Language:
    # the Vietnamese tokenizer would want pyvi for word segmentation; the matchers need syllables
    vi = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    vi.vocab.lex_attr_getters[NORM] = fold  # set before any lexeme exists: every NORM is folded
    return vi


def word_doc(text: str) -> tuple[Doc, list[int]]:
    """A Doc of the words of text (letters first, numbers and punctuation left out) and the
    offset in text of each token."""
    words, starts = [], []
    for m in _WORD_RE.finditer(text):
        words.append(m.group(0))
        starts.append(m.start())
    return Doc(nlp().vocab, words=words), starts


def phrase_matcher(phrases: dict[str, list[str]]) -> PhraseMatcher:
    """A PhraseMatcher on folded NORM: label -> the phrases (words split on spaces) it matches."""
    vocab = nlp().vocab
    pm = PhraseMatcher(vocab, attr="NORM")
    for label, items in phrases.items():
        pm.add(label, [Doc(vocab, words=_WORD_RE.findall(p)) for p in items if _WORD_RE.search(p)])
    return pm


@lru_cache(maxsize=4096)
def segment(span: str) -> tuple[str, ...]:
    """underthesea's word segmentation of a short span ("Quy định mức" -> ("Quy định", "mức")).

    Loaded on first use (about a second): extraction asks only about the rare spans its own
    rules cannot decide, so most texts never load it."""
    from underthesea import word_tokenize

    return tuple(word_tokenize(span))
