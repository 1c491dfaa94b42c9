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
from itertools import accumulate, compress
from typing import TYPE_CHECKING

from .textkeys import fold

if TYPE_CHECKING:  # spaCy is imported on first use: a process that never extracts (the API
    # answering searches) does not pay its second of start-up
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

# a word that starts at a word boundary with a letter: no number is ever a phrase's first word,
# and numbers would only grow the vocabulary of a long-running worker
_WORD_RE = re.compile(r"(?<!\w)[^\W\d_]\w*")
# the same words as (?<!\w)[^\W\d_]\w*, the lookbehind tried after the first letter: the scan is faster
_SPLIT_RE = re.compile(r"([^\W\d_](?<!\w.)\w*)")


@lru_cache(maxsize=1)
def nlp() -> Language:
    import spacy
    from spacy.attrs import NORM

    # the Vietnamese tokenizer would want pyvi for word segmentation; the matchers need syllables
    vi = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    vi.vocab.lex_attr_getters[NORM] = fold  # set before any lexeme exists: every NORM is folded
    return vi


def words_of(text: str) -> tuple[list[str], list[int]]:
    """The words of text (letters first: numbers and punctuation left out) and where each
    begins. One split in C, no Python loop over the words."""
    parts = _SPLIT_RE.split(text)  # gap, word, gap, word, ..., gap
    return parts[1::2], list(accumulate(map(len, parts)))[0::2]


def word_doc(text: str) -> tuple[Doc, list[int]]:
    """A Doc of the words of text and the offset in text of each token."""
    from spacy.tokens import Doc

    words, starts = words_of(text)
    return Doc(nlp().vocab, words=words), starts


# per matcher: word -> its label (None: no match). A one-word pattern matches a word wherever it
# stands, so a word is asked about once per process: most words of a plan were in the plans before
# it, and the Doc and matcher over them were a third of match_words.
_WORD_LABELS: dict[int, tuple] = {}
_WORD_LABELS_MAX = 200_000  # bounded: a long-running worker does not grow it past a few tens of MB
_UNSEEN = object()


def match_words(matcher: PhraseMatcher, text: str) -> dict[str, list[int]]:
    """label -> offsets in text of the words a one-word-pattern matcher matches. The matcher
    runs over a Doc of the distinct words not seen before, then each matched word is found at
    its places."""
    from spacy.tokens import Doc

    words, starts = words_of(text)
    entry = _WORD_LABELS.get(id(matcher))
    if entry is None or entry[0] is not matcher:
        entry = _WORD_LABELS[id(matcher)] = (matcher, {})
    known = entry[1]
    get = known.get
    # this text's words, read once: the shared dict is only read and updated whole (threads)
    labels = {w: get(w, _UNSEEN) for w in dict.fromkeys(words)}
    new = [w for w, label in labels.items() if label is _UNSEEN]
    if new:
        doc = Doc(nlp().vocab, words=new)
        strings = doc.vocab.strings
        found = dict.fromkeys(new)
        for match_id, i, _ in matcher(doc):
            found[new[i]] = strings[match_id]
        if len(known) + len(new) > _WORD_LABELS_MAX:
            known.clear()
        known.update(found)
        labels.update(found)
    hits = {w: label for w, label in labels.items() if label is not None}
    out: dict[str, list[int]] = {}
    for w, s in compress(zip(words, starts), map(hits.__contains__, words)):  # the loop over hits only
        out.setdefault(hits[w], []).append(s)
    return out


def phrase_matcher(phrases: dict[str, list[str]]) -> PhraseMatcher:
    """A PhraseMatcher on folded NORM: label -> the phrases (words split on spaces) it matches."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

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
