"""Copy arguments the student mutated in the sandbox back into the trusted objects, in place.

In place matters: a hidden test holds references to the arrays inside `params`, exactly
as the book's training loop does, and expects an optimizer's update to be visible there.
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger("autograder.sandbox")


def copy_back(dst, src) -> bool:
    """Make dst hold src's content; True when done in place (dst kept its identity)."""
    if isinstance(dst, np.ndarray) and isinstance(src, np.ndarray):
        if dst.shape != src.shape:
            log.debug("sandbox: mutated array changed shape %s -> %s; not copied back", dst.shape, src.shape)
            return False
        np.copyto(dst, src, casting="unsafe")
        return True
    if isinstance(dst, dict) and isinstance(src, dict):
        for key in [k for k in dst if k not in src]:
            del dst[key]
        for key, value in src.items():
            if key not in dst or not copy_back(dst[key], value):
                dst[key] = value
        return True
    if isinstance(dst, list) and isinstance(src, list):
        if len(dst) != len(src):
            dst[:] = src
            return True
        for i, value in enumerate(src):
            if not copy_back(dst[i], value):
                dst[i] = value
        return True
    return False
