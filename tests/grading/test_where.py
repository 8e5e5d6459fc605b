"""Is where a student's code raised read from the sandbox's frames, and kept through storage?"""

from autograder.feedback import Feedback, Verbatim, Where, cell_of, msg
from autograder.grading.plugin import fault_feedback
from autograder.sandbox.errors import StudentRaised


def test_a_cell_number_is_read_from_a_block_label_or_a_frame_filename():
    assert cell_of("cell 7") == cell_of("<cell 7>") == 7
    # The grader's own blocks, and labels a notebook could not have, name no cell.
    for label in ("ingest prelude", "<ingest prelude>", "cell", "cell 7a", "cell -1", "cell ٧",
                  "cell 1234567", "cells 7", "<cell 7", "x cell 7"):
        assert cell_of(label) is None, label


def test_where_is_the_innermost_frame_in_a_notebook_cell():
    frames = (("cell 3", 12, "TwoLayerNet.loss"), ("cell 2", 4, "softmax"), ("ingest prelude", 9, "shim"))
    assert Where.of_frames(frames) == Where(cell=2, line=4)
    assert Where.of_frames((("ingest prelude", 9, "shim"),)) is None
    assert Where.of_frames(()) is None


def test_a_raised_exception_keeps_its_place_and_its_words_through_storage():
    """The student's message and traceback stay verbatim; the headline stays a message; the
    cell and line survive to_data/from_data, so a stored run can point at them later."""
    exc = StudentRaised("softmax(x)", "ValueError", "bad " * 200, "Traceback\n  File \"<cell 2>\", line 4\nValueError",
                        (("cell 2", 4, "softmax"),))
    feedback = fault_feedback(exc)
    assert feedback.where == Where(2, 4)
    assert feedback.details == (Verbatim("Traceback\n  File \"<cell 2>\", line 4\nValueError"),)
    assert feedback.headline.field("message").key == "grading.clipped"
    stored = Feedback.from_data(feedback.to_data())
    assert stored == feedback
    assert stored.headline.render("en").startswith("softmax(x) raised ValueError: bad bad")
    assert "(이하" in stored.headline.render("ko")


def test_a_failure_stored_as_prose_by_an_older_version_reads_back_verbatim():
    assert Feedback.from_data("softmax(x) raised ValueError") == Feedback(Verbatim("softmax(x) raised ValueError"))
    assert Feedback.from_data(Feedback(msg("grading.not_run")).to_data()).headline == msg("grading.not_run")
