"""A notebook's JSON read as a stream of events, building only what grading reads.

Students print every step of a training loop: a notebook of 58 MB holds a million short
output strings, which `json.loads` would build (and the value cap refuses) although the
grader never reads an output. Read as events (ijson over yajl's C parser), a cell's
outputs, attachments and metadata are passed over without building anything, so they
cost time in proportion to their size and no memory; the value cap and the depth cap
apply to what is kept: the sources, the cells' structure, the notebook's metadata.
"""

from __future__ import annotations

import io

import ijson

from autograder.ingest.model import IngestError
from autograder.feedback import msg

# What a cell carries that grading never reads, under nbformat 4 and nbformat 3, as
# ijson names the path to it; each is kept as an empty value of its own kind.
PASSED_OVER = frozenset(
    f"{cells}.item.{key}"
    for cells in ("cells", "worksheets.item.cells")
    for key in ("outputs", "attachments", "metadata")
)
# Python's own decoder stops near a thousand levels; a notebook's kept part has five.
MAX_KEPT_DEPTH = 200

_OPENS = frozenset({"start_map", "start_array"})
_CLOSES = frozenset({"end_map", "end_array"})


def load_kept(data: bytes, max_values: int):
    """The notebook's JSON with every PASSED_OVER part empty; IngestError when what is
    kept holds more than `max_values` values, nests too deep, or the JSON is broken."""
    builder = ijson.ObjectBuilder()
    events = ijson.parse(io.BytesIO(data), use_float=True)
    kept = depth = 0
    try:
        for prefix, event, value in events:
            if event in _OPENS and prefix in PASSED_OVER:
                _pass_over(events)
                builder.event(event, None)
                builder.event("end_map" if event == "start_map" else "end_array", None)
                continue
            if event in _OPENS:
                depth += 1
                if depth > MAX_KEPT_DEPTH:
                    raise IngestError("too_deep", msg("ingest.error.too_deep"))
            elif event in _CLOSES:
                depth -= 1
            if event != "map_key":
                kept += 1
                if kept > max_values:
                    raise IngestError("too_many_values", msg("ingest.error.too_many_values",
                                                             limit=max_values))
            builder.event(event, value)
    except ijson.JSONError as error:
        raise _broken(error) from error
    return builder.value


def _pass_over(events) -> None:
    """Consume the events of one container whose opening was just read."""
    open_ = 1
    for _prefix, event, _value in events:
        if event in _OPENS:
            open_ += 1
        elif event in _CLOSES:
            open_ -= 1
            if open_ == 0:
                return


def _broken(error: Exception) -> IngestError:
    # yajl says where in a picture of the text, not at which line; its first line is the reason.
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "premature EOF" in reason:
        return IngestError("truncated", msg("ingest.error.truncated"))
    return IngestError("invalid_json", msg("ingest.error.invalid_json_stream", reason=reason[:200]))
