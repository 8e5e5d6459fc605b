"""Korean particles that agree with the word before them: 을/를, 이/가, 은/는, 과/와, 으로/로.

Catalog sentences write a particle after a field in both forms, "`{name}`을(를)", because
the word is not known when the sentence is written. `resolve` picks the one form that fits
the rendered word, as a Korean reader would say it: a Hangul syllable by its final
consonant; a digit or a Latin letter by its Korean reading (일, 삼 end with a consonant;
이, 사 do not; el, em, en and ar do). A word the rule cannot read (a symbol) keeps both
forms, which is never wrong, only clumsy.
"""

from __future__ import annotations

import re

# (after a final consonant, after a vowel) for each both-forms particle catalog text uses.
PAIRS = {"을(를)": ("을", "를"), "를(을)": ("을", "를"), "이(가)": ("이", "가"), "가(이)": ("이", "가"),
         "은(는)": ("은", "는"), "는(은)": ("은", "는"), "과(와)": ("과", "와"), "와(과)": ("과", "와"),
         "(으)로": ("으로", "로")}
BOTH_FORMS = re.compile("|".join(re.escape(form) for form in PAIRS))
# Digits whose Korean reading ends with a consonant: 영, 일, 삼, 육, 칠, 팔, 십.
CONSONANT_DIGITS = set("013678")
# Latin letters read with a final consonant: 엠, 엔 (엘 and 알 end with ㄹ).
CONSONANT_LETTERS = set("mn")
RIEUL_LETTERS = set("lr")
# Marks between a word and its particle that are not read: `name`을, "x"를.
UNREAD = set("`'\"*_ ")
_OPEN = {")": "(", "]": "["}
# A placeholder filled in later (`{name}` in a text that is formatted again) is no word yet.
_UNKNOWN_END = set("}")


def final_sound(word: str) -> str | None:
    """"consonant", "rieul" (ㄹ: 로, not 으로), "vowel", or None when unknown, for how
    `word` ends when read aloud in Korean, skipping quotes and a closing parenthetical."""
    i = len(word) - 1
    while i >= 0:
        ch = word[i]
        if ch in UNREAD:
            i -= 1
        elif ch in _UNKNOWN_END:
            return None
        elif ch in _OPEN:
            # "함수(function)를": the particle agrees with the word before the parentheses.
            depth, i = 1, i - 1
            while i >= 0 and depth:
                depth += (word[i] == ch) - (word[i] == _OPEN[ch])
                i -= 1
        else:
            return _sound_of(ch)
    return None


def _sound_of(ch: str) -> str | None:
    if "가" <= ch <= "힣":
        final = (ord(ch) - 0xAC00) % 28
        return "vowel" if final == 0 else "rieul" if final == 8 else "consonant"
    if ch.isdigit() and ch.isascii():
        return "rieul" if ch in "178" else "consonant" if ch in CONSONANT_DIGITS else "vowel"
    if ch.isascii() and ch.isalpha():
        low = ch.lower()
        return "rieul" if low in RIEUL_LETTERS else "consonant" if low in CONSONANT_LETTERS else "vowel"
    return None


def josa(word: str, form: str) -> str:
    """The particle of `form` ("을(를)") that fits after `word`, or `form` when unknown."""
    sound = final_sound(word)
    if sound is None:
        return form
    after_consonant, after_vowel = PAIRS[form]
    if form == "(으)로":
        return after_consonant if sound == "consonant" else after_vowel
    return after_vowel if sound == "vowel" else after_consonant


def pattern(literal: str) -> str:
    """A regex for catalog text `literal` that also matches it with its particles resolved."""
    parts = BOTH_FORMS.split(literal)
    forms = BOTH_FORMS.findall(literal)
    out = [re.escape(parts[0])]
    for form, part in zip(forms, parts[1:]):
        choices = sorted({*PAIRS[form], form}, key=len, reverse=True)
        out.append("(?:" + "|".join(re.escape(c) for c in choices) + ")")
        out.append(re.escape(part))
    return "".join(out)


def resolve(text: str) -> str:
    """`text` with each both-forms particle replaced by the form its word takes."""
    out, start = [], 0
    for match in BOTH_FORMS.finditer(text):
        out.append(text[start:match.start()])
        out.append(josa("".join(out), match.group(0)))
        start = match.end()
    out.append(text[start:])
    return "".join(out)
