"""Korean particles chosen by the word before them, and pages that still pick one language."""

import pytest

from autograder.josa import josa, resolve
from autograder.messages import say
from autograder.report.lang import pick


@pytest.mark.parametrize("word, form, expected", [
    ("함수", "을(를)", "를"), ("배열", "을(를)", "을"), ("셀 3", "이(가)", "이"), ("셀 2", "이(가)", "가"),
    ("`param`", "을(를)", "을"), ("`relu`", "은(는)", "는"), ("`AND`", "이(가)", "가"),
    ("`Convolution`", "(으)로", "으로"), ("`im2col`", "(으)로", "로"), ("서울", "(으)로", "로"),
    ("`1`", "(으)로", "로"), ("`3`", "(으)로", "으로"), ("`6`", "은(는)", "은"), ("`9`", "은(는)", "는"),
    ("함수(function)", "을(를)", "를"), ("`x`", "와(과)", "와"), ("`W`", "과(와)", "와"),
])
def test_the_particle_agrees_with_the_last_sound(word, form, expected):
    assert josa(word, form) == expected


def test_a_word_the_rule_cannot_read_keeps_both_forms():
    assert resolve("`+`을(를) 보세요") == "`+`을(를) 보세요"


def test_say_resolves_and_pick_still_finds_one_language():
    joined = say("grading.cause.did_you_mean", name="sigmod", suggestion="sigmoid")
    assert "`sigmod`는" in joined and "`sigmoid`를" in joined and "은(는)" not in joined
    assert pick(joined, "en") == "`sigmod` is not defined in this notebook; did you mean `sigmoid`?"
    assert pick(joined, "ko") == say("grading.cause.did_you_mean", lang="ko", name="sigmod", suggestion="sigmoid")
    # Nested: a sentence joined inside another is reduced too.
    outer = say("grading.signature.differs", name="im2col", signature="im2col(x, pad=0)", yours="im2col(x)",
                detail=say("grading.signature.missing_default", param="pad", default="0"))
    assert " / " not in pick(outer, "ko") and "기본값은 `0`" in pick(outer, "ko")
    assert "매개변수" not in pick(outer, "en")


def test_a_placeholder_formatted_later_keeps_both_forms():
    """Is `{name}` (a field the text is formatted with later, as in a published check cell)
    followed by both forms, never a form chosen from the word before it?"""
    from autograder.josa import final_sound
    assert final_sound("패키지 {name}") is None
