"""Feedback as data: what a check, a cause or a stage has to say, kept as catalog keys and
facts until an edge (a page, results.json, the console, a CSV) renders it once, in one
language. Nothing here imports from the grader's stages: every stage may import this."""

from ..messages import LANGS
from .message import Message, Part, Verbatim, msg, render_part
from .failure import Feedback, Where, cell_of

__all__ = ["LANGS", "Feedback", "Message", "Part", "Verbatim", "Where", "cell_of", "msg", "render_part"]
