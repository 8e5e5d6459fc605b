"""What the book accepts passes: a network graded as the book's training loop runs it
(parameters changed in place), through the real pipeline."""

import pytest

from tests.grading.test_charge_once import graded, points

pytestmark = pytest.mark.sandbox


def test_a_network_reading_the_params_it_captured_in_init_gets_full_marks(tmp_path):
    """ch04's tests rebound net.params, so such a network's own loss never moved (75/80);
    they now write into the arrays net.params holds, as the book's loop does."""
    items = graded(tmp_path, "ch04", "ch04_training/two_layer_net",
                   ("self.params = {", "p = self.params\n        z1 = sigmoid"),
                   ("self.params = self.held = {", "p = self.held\n        z1 = sigmoid"))
    net = items["TwoLayerNet"]
    assert points(net)[0] == points(net)[1]
    assert all(points(o)[0] == points(o)[1] for o in items.values())
