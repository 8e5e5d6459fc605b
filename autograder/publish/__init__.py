"""Publishing assignments: source notebooks for instructors, student_template/ for students.

    assignments/chNN_topic/tasks.toml  ──author──▶  assignments/chNN_topic/source.ipynb
        (task texts, which reference objects each task shows; solutions are the reference's code)
    source.ipynb  ──publish_steps──▶  student_template/chNN_topic/chNN_topic.ipynb
        (RefuseHiddenTests, ClearSolutions, ClearOutput, DropAuthoringMetadata,
         StampAssignment, AddCheckCell), beside public/ and chapter.json
    reference/chNN_topic/public/test_*.py (as publish.toml's [public] names them)
        ──copied──▶  student_template/chNN_topic/public/

`python -m autograder publish` runs both; the students' checker (student_template/dlfs_check)
reads what this writes and never imports the grader.
"""
