"""Text folding for names: what people type to find someone, and the order they expect.

SQLite compares by code point and folds only ASCII case, so 'Ní Bhriain' would sort after
'Nowak' and 'siobhan' would not find 'Siobhán'. Each person stores a folded key instead."""

from __future__ import annotations

import unicodedata

from casework.fields import NAME_KEY

# Letters that carry no combining mark to strip.
_SPECIAL = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
                          "þ": "th", "ð": "d", "ı": "i"})


def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation as spaces, single-spaced."""
    # Compatibility forms (𝐀, ﬁ) only lower-case after decomposition, so repeat to a fixpoint.
    for _ in range(4):
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
    return text


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).casefold().translate(_SPECIAL)
    plain = "".join(c for c in unicodedata.normalize("NFKD", decomposed)
                    if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in plain)
    return " ".join(cleaned.split())


def name_key(given_name: str, family_name: str) -> str:
    """Family name first, so that ordering by the key orders by surname. Folding can make a
    name longer (ß is ss, ﷺ is eighteen letters): the key is cut to fit its column, which
    only ever costs the order of names alike in their first 201 letters."""
    return fold(f"{family_name} {given_name}")[:NAME_KEY].rstrip()


def like_escape(word: str) -> str:
    """`word` for a LIKE pattern with `escape="\\"`: its % and _ match themselves."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
