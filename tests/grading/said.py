"""What an outcome says, as one English text: for tests that look for a value (a shape, a
call, the student's exception) anywhere in a failure, not for which sentence says it."""

from autograder.feedback import Feedback, Message, render_part


def said(feedback: Feedback | None, lang: str = "en") -> str:
    if feedback is None:
        return ""
    lines = [render_part(feedback.headline, lang)]
    lines += [value for value in (feedback.inputs, feedback.returned, feedback.expected) if value]
    lines += [render_part(part, lang) for part in feedback.details]
    return "\n".join(lines)


def titled(outcome) -> bool:
    """Has the test a title of its own: a catalog entry, or a docstring line that is not
    merely its function's name?"""
    name = outcome.test_id.split("::")[1]
    return isinstance(outcome.title, Message) or (bool(outcome.title.text) and outcome.title.text != name)
