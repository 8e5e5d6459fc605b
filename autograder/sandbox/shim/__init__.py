"""The trusted shim that runs inside the sandbox process, in front of the student's code.

It imports only the standard library, numpy and the wire package: those two folders
(wire/ and shim/) are all of the grader the sandbox can see.

    boot   the script the sandbox process starts: puts the tree it came from on sys.path
    main   reads its configuration, limits itself, drops root, serves
    shim   executes the student's blocks and answers requests
    deferred  matplotlib imported on first use rather than at `import matplotlib.pyplot`
"""
