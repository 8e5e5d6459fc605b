"""Chapter 2: perceptrons and the logic gates (sections 2.3-2.5)."""

from .perceptron import AND, NAND, OR, XOR

__all__ = ["AND", "NAND", "OR", "XOR"]
