"""What the book's networks share besides their layers: their accuracy."""

import numpy as np


def accuracy_of(scores, t):
    """Share of samples whose highest score is the answer t (labels, or one-hot rows)."""
    predicted = np.argmax(scores, axis=-1)
    t = np.asarray(t)
    if t.ndim == predicted.ndim + 1:
        t = np.argmax(t, axis=-1)
    return float(np.mean(predicted == t))
