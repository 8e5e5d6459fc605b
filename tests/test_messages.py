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


def test_no_two_entries_say_the_same_thing():
    """One sentence, one place: twins drift apart (a ".ipynb or .py" beside an ".ipynb")."""
    for lang in ("ko", "en"):
        seen: dict[str, str] = {}
        for key, entry in sorted(CATALOG.items()):
            text = " ".join(entry[lang].split()).casefold()
            assert text not in seen, f"{key} and {seen[text]} share their {lang} text"
            seen[text] = key


def test_keys_follow_one_scheme():
    """stage.name or stage.kind.name, lower case: where a sentence is said is in its key."""
    import re
    for key in CATALOG:
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9_]+){1,2}", key), key


def test_every_key_the_code_says_exists():
    """A literal say("...") or msg("...") key that is not in the catalog would fail only
    when that path runs (msg checks it when the message is made, which is still too late)."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    used = set()
    for path in list((root / "autograder").rglob("*.py")) + list((root / "reference").rglob("*.py")):
        used |= set(re.findall(r"""(?:say|msg)\(\s*["']([a-z][\w.]*)["']""", path.read_text(encoding="utf-8")))
    assert used and used <= set(CATALOG), sorted(used - set(CATALOG))


def test_say_takes_one_language_and_never_both():
    """A sentence is said in one language: no "ko / en" form left for an edge to take apart."""
    import inspect
    assert inspect.signature(say).parameters["lang"].default is inspect.Parameter.empty
    assert say("cli.results_kept", "en") == CATALOG["cli.results_kept"]["en"]
    with pytest.raises(KeyError):
        say("cli.results_kept", "both")


def test_console_lang_reads_the_environment(monkeypatch):
    """The CLI's --lang reaches worker processes as AUTOGRADER_LANG; nothing chosen is Korean,
    and a value that is no language is not taken."""
    from autograder.messages import DEFAULT_LANG, LANG_ENV, console_lang
    monkeypatch.delenv(LANG_ENV, raising=False)
    assert console_lang() == DEFAULT_LANG == "ko"
    monkeypatch.setenv(LANG_ENV, "en")
    assert console_lang() == "en"
    monkeypatch.setenv(LANG_ENV, "both")
    assert console_lang() == "ko"
