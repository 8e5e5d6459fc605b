"""Does every catalog entry render, in both languages, with the fields it declares?"""

import pytest

from autograder.messages import CATALOG, fields_of, say


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_entry_renders_in_both_languages(key):
    entry = CATALOG[key]
    assert set(entry) == {"ko", "en"}, key
    sample = {name: f"<{name}>" for name in fields_of(key)}
    for lang in ("ko", "en"):
        text = say(key, lang=lang, **sample)
        assert text.strip()
        for value in sample.values():
            # Both languages carry every detail: a Korean line must not drop a number.
            assert value in text, (key, lang, value)
    assert say(key, **sample)
