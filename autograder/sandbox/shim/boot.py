"""The sandbox process's entry point: `python -I .../autograder/sandbox/shim/boot.py REQ_FD RESP_FD`
(or `... boot.py zygote CONTROL_FD` for the template that forks sandbox processes).

Run as a script (isolated mode puts no folder of ours on sys.path), it adds the root of
the tree it was started from: under bubblewrap a read-only folder holding only wire/,
shim/ and numpy; in the fallback a folder of links to those. Only the two pipe fds
travel on the command line; everything else arrives as the first message.
"""

import os
import sys


def _root() -> str:
    shim = os.path.dirname(os.path.abspath(__file__))
    return os.path.dirname(os.path.dirname(os.path.dirname(shim)))


if __name__ == "__main__":
    root = _root()
    sys.path.insert(0, root)
    from autograder.sandbox.shim import main as shim_main

    # `autograder` here is a namespace package of root; an installed copy elsewhere on the
    # path would win over it and bring the whole grader in: refuse to start instead.
    if not shim_main.__file__.startswith(root + os.sep):
        raise SystemExit(f"the shim was imported from {shim_main.__file__}, not from {root}")
    if sys.argv[1:2] == ["zygote"]:
        from autograder.sandbox.shim import zygote

        zygote.run(int(sys.argv[2]))
    else:
        shim_main.main(sys.argv[1:])
