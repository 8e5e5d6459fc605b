"""Gradescope: the autograder zip of an assignment (build.py, with the scripts in
templates/) and the grading run inside Gradescope's container (run.py, output.py), both
reached through `python -m autograder gradescope build|run` (cli.py)."""
