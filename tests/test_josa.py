"""Korean particles chosen by the word before them, in sentences said whole or nested."""

import pytest

from autograder.josa import josa, resolve
from autograder.feedback import msg
from autograder.messages import say


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


def test_a_message_resolves_its_particles_in_korean_and_nests():
    said = msg("grading.cause.did_you_mean", name="sigmod", suggestion="sigmoid")
    assert "`sigmod`는" in said.render("ko") and "`sigmoid`를" in said.render("ko")
    assert said.render("en") == "`sigmod` is not defined in this notebook; did you mean `sigmoid`?"
    # Nested: a sentence inside another is said in the same language.
    outer = msg("grading.signature.differs", name="im2col", signature="im2col(x, pad=0)", yours="im2col(x)",
                detail=msg("grading.signature.missing_default", param="pad", default="0"))
    assert "기본값은 `0`" in outer.render("ko") and "매개변수" not in outer.render("en")
    assert " / " not in outer.render("ko")


def test_a_placeholder_formatted_later_keeps_both_forms():
    """Is `{name}` (a field the text is formatted with later, as in a published check cell)
    followed by both forms, never a form chosen from the word before it?"""
    from autograder.josa import final_sound
    assert final_sound("패키지 {name}") is None
