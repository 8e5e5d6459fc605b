"""Chapter 6 initial weight scales (the book's fan-in-only definitions)."""

import numpy as np
import pytest

from reference.ch06_training_techniques.initializers import he_std, weight_scale, xavier_std


def test_he_and_xavier_hand_worked():
    assert he_std(2) == pytest.approx(1.0)
    assert he_std(50) == pytest.approx(0.2)
    assert xavier_std(4) == pytest.approx(0.5)
    assert xavier_std(100) == pytest.approx(0.1)
    assert he_std(100) == pytest.approx(np.sqrt(2) * xavier_std(100))


@pytest.mark.parametrize("name, expected", [("relu", 0.2), ("He", 0.2), ("sigmoid", np.sqrt(0.02)),
                                            ("xavier", np.sqrt(0.02))])
def test_weight_scale_names(name, expected):
    assert weight_scale(name, 50) == pytest.approx(expected)


def test_weight_scale_number_passes_through_and_unknown_name_fails():
    assert weight_scale(0.01, 784) == 0.01
    with pytest.raises(ValueError):
        weight_scale("lecun", 10)


def test_he_scale_keeps_relu_activations_from_shrinking():
    # Through z = h @ W then ReLU, E[relu(z)^2] = Var(z)/2 = n*std^2*E[h^2]/2: He's
    # std^2 = 2/n keeps the mean square activation at 1, Xavier's 1/n halves it per layer
    # (1/32 after five). One weight draw per layer makes the gain a random walk of a few
    # percent per layer, hence the wide bands.
    rng = np.random.default_rng(0)
    n = 400
    x = rng.standard_normal((1000, n))
    mean_square = {}
    for name, std in (("he", he_std(n)), ("xavier", xavier_std(n))):
        h = x
        for _ in range(5):
            h = np.maximum(0, h @ (std * rng.standard_normal((n, n))))
        mean_square[name] = np.mean(h * h) / np.mean(x * x)
    assert 0.6 < mean_square["he"] < 1.7
    assert mean_square["xavier"] < 0.08
