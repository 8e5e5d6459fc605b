# The front door. Every target installs what it needs into .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed

SUBMISSION ?= examples
OUT        ?= graded
JOBS       ?=
ASSIGNMENT ?=
FORCE      ?=

.PHONY: setup setup-dev sandbox-tools browser-tools grade test test-fast bench mutants clean gradescope

# The grader needs Python 3.11 (tomllib); an older interpreter stops here, before a venv
# is made, and a venv made by one is rebuilt.
PY_OK := import sys; sys.exit(sys.version_info < (3, 11))

# A venv whose python is older (or no longer runs) goes before make looks at the stamp: a
# venv an old Makefile made and stamped as installed would otherwise be trusted as it is.
ifneq ($(wildcard $(PY)),)
ifneq ($(shell $(PY) -c '$(PY_OK)' 2>/dev/null && echo ok),ok)
$(info note: $(VENV) was made with Python older than 3.11 (or its python no longer runs); rebuilding it)
$(shell rm -rf $(VENV))
endif
endif

$(RUNTIME_STAMP): requirements.txt
	@if [ ! -x $(PY) ]; then \
	  $(PYTHON) -c '$(PY_OK)' 2>/dev/null || { \
	    found=$$($(PYTHON) -V 2>&1) && found=$$(echo "$$found" | head -n 1) \
	      || found="not runnable here ($$(echo "$$found" | head -n 1))"; \
	    echo "error: the grader needs Python 3.11 or newer, and $(PYTHON) is $$found." >&2; \
	    echo "       Run it with a newer one, e.g.: make $(or $(MAKECMDGOALS),grade) PYTHON=python3.11" >&2; exit 2; }; \
	  $(PYTHON) -m venv $(VENV); fi
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(RUNTIME_STAMP) sandbox-tools
setup-dev: $(DEV_STAMP) sandbox-tools browser-tools

# bubblewrap is the outer wall of the sandbox. Without it the grader still runs,
# falls back to rlimits + a dropped uid, and says so in its log.
sandbox-tools:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq bubblewrap) >/dev/null 2>&1 \
	      || echo "note: could not install bubblewrap; the sandbox will use its fallback layer"; \
	  else echo "note: bubblewrap missing and not root; the sandbox will use its fallback layer"; fi; }

# Headless Chromium for tests/browser (the pages as a browser shows them). Those tests
# fail, never skip, when it is missing.
browser-tools:
	@command -v chromedriver >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
	      || echo "note: could not install chromium; tests/browser will fail"; \
	  else echo "note: chromium-driver missing and not root; tests/browser will fail"; fi; }

# Paths reach the shell as environment variables, quoted there: an LMS download is often
# named like "DL 과제 ch03 (1).zip".
grade: export DLFS_SUBMISSION = $(SUBMISSION)
grade: export DLFS_OUT = $(OUT)
grade: setup
	$(PY) -m autograder grade "$$DLFS_SUBMISSION" --out "$$DLFS_OUT" \
	  $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(JOBS),--jobs $(JOBS)) $(if $(FORCE),--force)

# One pytest worker per core, at most four (each holds a few hundred MB and starts
# sandboxes; TEST_WORKERS=1 for a serial run); `make test-fast` leaves out the tests that
# start sandboxes (pytest.mark.sandbox), the slow quarter of the suite.
TEST_WORKERS ?= auto

test: setup-dev
	$(PY) -m pytest -q -n $(TEST_WORKERS) --maxprocesses 4

test-fast: setup-dev
	$(PY) -m pytest -q -n $(TEST_WORKERS) --maxprocesses 4 -m "not sandbox"

# Every chapter's classic bugs, graded through the real pipeline; ends with "mutants killed: K/N".
mutants: setup-dev
	$(PY) -m tests.mutants.run $(if $(JOBS),--jobs $(JOBS))

# bench/class_bench.py last: its final line is `median s per submission-chapter: X`.
# QUICK=1 make bench shrinks its class to a smoke test.
bench: setup-dev
	$(PY) bench/conv_pool.py
	$(PY) bench/sandbox_latency.py
	$(PY) bench/plotting.py
	$(PY) bench/grade_batch.py 60 2
	$(PY) bench/similarity.py 200
	$(PY) bench/class_bench.py
	$(PY) bench/nbgrader_side.py

clean: export DLFS_OUT = $(OUT)
clean:
	rm -rf "$$DLFS_OUT" .pytest_cache

# dist/chNN-gradescope.zip: setup.sh and run_autograder at its root, the grader, the
# assignment's chapter (and those it imports), requirements pinned to this venv's versions;
# upload it as the assignment's autograder on Gradescope.
gradescope: setup
	@test -n "$(ASSIGNMENT)" || { echo "usage: make gradescope ASSIGNMENT=chNN" >&2; exit 2; }
	$(PY) -m autograder gradescope build --assignment $(ASSIGNMENT) --out dist

# --- publishing assignments and the students' local check ---------------------------
NOTEBOOK   ?=
CHECK_LANG ?= ko

.PHONY: publish check

# assignments/*/source.ipynb from tasks.toml and the reference, then student_template/
# (commit both: a test fails while they differ from their sources). ASSIGNMENT=ch03: one.
publish: setup
	$(PY) -m autograder publish $(ASSIGNMENT)

# The public tests of one saved notebook, as `python -m dlfs_check` runs them for a student:
# make check NOTEBOOK=path/to/notebook.ipynb [CHECK_LANG=en]. Exit 0 only when all pass.
check: export DLFS_NOTEBOOK = $(NOTEBOOK)
check: setup
	@test -n "$$DLFS_NOTEBOOK" || { echo "usage: make check NOTEBOOK=path/to/notebook.ipynb [CHECK_LANG=en]" >&2; exit 2; }
	$(PY) -m autograder check "$$DLFS_NOTEBOOK" --lang $(CHECK_LANG)
