"""Reference solutions and hidden grading material for 'Deep Learning from Scratch' ch. 2-7.

One package per chapter, and each is everything that decides that chapter's grades:

    chNN_topic/
        __init__.py        the chapter's items under the book's names
        *.py               reference modules, one per topic
        assignment.toml    items, aliases, limits, [checks] policy
        hidden/            the hidden pytest suite (not a package)
        hints.py           the chapter's classic misses, computed from the reference
        messages.toml      the sentences those hints show (Korean and English)

`from reference.ch05_backprop import Affine` imports one chapter's item. Later chapters
import earlier ones (ch05's layers use ch03's softmax); `evaluation` holds the helpers
several networks share. Adding a chapter adds a folder here and touches no grader module.
"""
