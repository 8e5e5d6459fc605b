"""Autograder for 'Deep Learning from Scratch' notebooks.

The package tree is the pipeline: ingest -> sandbox -> grading -> report.
"""

__version__ = "0.2.0"
