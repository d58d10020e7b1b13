"""Vietnamese alphabetical order as a plain string key that sorts the same on every database.

Vietnamese orders letters a ă â b c d đ e ê g … o ô ơ … u ư …, and tones only break ties
(ngang, huyền, hỏi, ngã, sắc, nặng). Database collations do not know this, and SQLite and
PostgreSQL disagree with each other anyway, so we store a key made only of [0-9a-z] in
two-character tokens: byte order and every locale's order agree on such strings.
"""

from __future__ import annotations

import unicodedata

_ALPHABET = (
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
)  # fmt: skip
_LETTER_TOKEN = {letter: f"{10 + i:02d}" for i, letter in enumerate(_ALPHABET)}
# Digits take tokens "02" … "0b", between the space and the letters.
_DIGIT_TOKEN = {str(d): "0" + "0123456789ab"[d + 2] for d in range(10)}
_SPACE_TOKEN = "01"  # below every letter and digit: "An" before "An Bình" before "Anh"
_SEPARATOR = "00"  # ends the letters part: a shorter name sorts before its extensions
_OTHER_TOKEN = "zz"

_TONE_MARKS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_WITH_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
_WITH_HORN = {"o": "ơ", "u": "ư"}


def _letter_and_tone(char: str) -> tuple[str, str]:
    """Split one character into its Vietnamese base letter and its tone digit (0 = none)."""
    if char == "đ":
        return "đ", "0"
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    letter, tone = base, "0"
    for mark in marks:
        if mark in _TONE_MARKS:
            tone = _TONE_MARKS[mark]
        elif mark == "\u0306" and base == "a":
            letter = "ă"
        elif mark == "\u0302":
            letter = _WITH_CIRCUMFLEX.get(base, base)
        elif mark == "\u031b":
            letter = _WITH_HORN.get(base, base)
    return letter, tone


def vietnamese_sort_key(text: str) -> str:
    """Return a key whose plain string order is Vietnamese dictionary order of `text`."""
    letters: list[str] = []
    tones: list[str] = []
    previous_space = True
    for char in unicodedata.normalize("NFC", text.strip().lower()):
        if char.isspace():
            if not previous_space:
                letters.append(_SPACE_TOKEN)
            previous_space = True
            continue
        previous_space = False
        letter, tone = _letter_and_tone(char)
        if letter in _LETTER_TOKEN:
            letters.append(_LETTER_TOKEN[letter])
            tones.append(tone)
        elif letter in _DIGIT_TOKEN:
            letters.append(_DIGIT_TOKEN[letter])
        else:
            letters.append(_OTHER_TOKEN)
    return "".join(letters) + _SEPARATOR + "".join(tones)


def split_full_name(full_name: str) -> tuple[str, str]:
    """("Nguyễn Thị Thu", "Hà") from "Nguyễn Thị Thu Hà": the rest, then the given name."""
    words = full_name.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def person_sort_key(full_name: str) -> str:
    """Vietnamese lists of people sort by the given name (the last word), then the rest.

    Two keys side by side keep their order: the tone digits of the first key have as many
    characters as its letters, so equal letters mean equally long keys up to the second one.
    """
    rest, given = split_full_name(full_name)
    return vietnamese_sort_key(given) + vietnamese_sort_key(rest)


def search_key(text: str) -> str:
    """`text` folded for search: lower case, tones and marks removed, đ → d, words single-spaced.

    "Đông Hòa" and "dong hoa" fold alike; a stored key searched with a folded query finds the
    same rows on SQLite and PostgreSQL, whose own case and accent handling differ.
    """
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in letters).split())
