"""The universality construction (notebook 12): checked against the book's numbers and hand-worked cases."""
import math

import IPython.display
import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from nndl import universality as u
from nndl import widgets
from nndl.functions import sigmoid


def test_f_is_the_books_eq_113_and_sigmoid_inverse_undoes_sigmoid():
    assert u.f(0.0) == pytest.approx(0.25)  # 0.2 + 0.05 cos 0
    x = 0.7
    assert u.f(x) == pytest.approx(0.2 + 0.4 * x * x + 0.3 * x * math.sin(15 * x) + 0.05 * math.cos(50 * x))
    z = np.array([-5.0, -0.3, 0.0, 2.0])
    np.testing.assert_allclose(u.sigmoid_inverse(sigmoid(z)), z, atol=1e-12)


@pytest.mark.parametrize("a", [0.0, 1.0, 1.5, -0.2])
def test_sigmoid_inverse_names_a_value_outside_0_1(a):
    with pytest.raises(ValueError, match=f"needs 0 < a < 1.*got a = {a:g}"):
        u.sigmoid_inverse(np.array([0.5, a]))


def test_the_step_sits_at_minus_b_over_w_and_steepens_with_w():
    assert u.step_position(100, -30) == pytest.approx(0.3)
    assert u.hidden_neuron(0.3, 100, -30) == pytest.approx(0.5)
    assert u.hidden_neuron(0.31, 1000, -300) > 0.9999 and u.hidden_neuron(0.29, 1000, -300) < 1e-4
    assert u.hidden_neuron(0.31, 10, -3) < 0.6  # a small weight: a gentle slope, not a step
    np.testing.assert_allclose(u.step(np.array([0.2, 0.3, 0.5]), 0.3), [0.0, 1.0, 1.0])  # exact: x >= s
    assert u.step(0.3, 0.3, w=1000) == pytest.approx(0.5)  # a real neuron at its step point
    assert u.step(0.35, 0.3, w=1000) == pytest.approx(u.hidden_neuron(0.35, 1000, -300))  # b = -ws


def test_a_weight_of_zero_has_no_step():
    with pytest.raises(ValueError, match="w = 0 has no step"):
        u.step_position(0, 2.0)


def test_a_pair_of_steps_makes_a_bump_of_height_h():
    x = np.array([0.1, 0.4, 0.5, 0.59, 0.6, 0.9])
    np.testing.assert_allclose(u.bump(x, 0.4, 0.6, 0.8), [0.0, 0.8, 0.8, 0.8, 0.0, 0.0])
    np.testing.assert_allclose(u.bump(x, 0.4, 0.6, -1.2), [0.0, -1.2, -1.2, -1.2, 0.0, 0.0])


def test_the_books_score_matches_its_widget_by_hand():
    """The book's widget: mean over x = 0, 0.01, ..., 0.99 of |σ⁻¹(f(x)) - h of the bump that x is in|."""
    heights = [-1.0, 0.5, 0.2, 1.0, -0.3]
    by_hand = np.mean([abs(math.log(u.f(j / 100) / (1 - u.f(j / 100))) - heights[j // 20]) for j in range(100)])
    assert u.average_deviation(u.equal_bumps(heights)) == pytest.approx(by_hand, abs=1e-12)
    assert u.average_deviation(u.equal_bumps(np.zeros(5))) == pytest.approx(1.0553, abs=1e-4)


def test_the_course_heights_meet_the_books_goal_and_improve_with_more_bumps():
    deviations = [u.average_deviation(u.equal_bumps(u.heights_for(u.f, n))) for n in (5, 10, 20, 40)]
    assert deviations[0] <= u.GOAL
    assert all(a > b for a, b in zip(deviations, deviations[1:]))
    midpoints = u.sigmoid_inverse(u.f((np.arange(5) + 0.5) / 5))  # one point per bump: not enough for five
    assert u.average_deviation(u.equal_bumps(midpoints)) > u.GOAL


def test_the_network_output_follows_f_when_the_weighted_output_follows_its_inverse():
    bumps = u.equal_bumps(u.heights_for(u.f, 40))
    assert u.output_error(bumps) < 0.02
    np.testing.assert_allclose(u.network_output(0.37, bumps), sigmoid(u.weighted_output(0.37, bumps)))


def test_shifted_copies_narrow_the_windows_of_failure():
    """The book's fix: M copies for σ⁻¹∘f / M, shifted; a real step's error shrinks about M times."""
    x = np.linspace(0, 1, 20001)
    window = {}
    for copies in (1, 2, 4):
        bumps = u.shifted_bumps(u.f, 10, copies)
        assert len(bumps) == 12 * copies
        window[copies] = np.max(np.abs(u.weighted_output(x, bumps, w=100) - u.weighted_output(x, bumps)))
        ideal = u.weighted_output(x, bumps)
        assert np.mean(np.abs(ideal - u.sigmoid_inverse(u.f(x)))) < 0.3  # each still approximates σ⁻¹∘f
    assert window[2] < window[1] and window[4] < 0.6 * window[2]


@pytest.mark.parametrize("copies", [1, 2, 3])
def test_neighbouring_bumps_meet_exactly(copies):
    """At a step point only the bump that starts there counts (one per shifted set): none is counted twice."""
    bumps = u.shifted_bumps(u.f, 10, copies)
    for s1 in [s1 for s1, _, _ in bumps if 0 <= s1 <= 1]:  # every set covers [0, 1]
        assert sum(a <= s1 < b for a, b, _ in bumps) == copies
    assert all(sum(a <= s1 < b for a, b, _ in u.equal_bumps(np.ones(10))) == 1 for s1, _, _ in u.equal_bumps(np.ones(10)))


def test_a_tower_is_one_inside_and_zero_outside_the_plateau_included():
    x = np.array([0.5, 0.5, 0.1, 0.1])
    y = np.array([0.5, 0.1, 0.5, 0.1])  # tower, plateau (x in, y out), plateau (y in), outside
    np.testing.assert_allclose(u.tower(x, y, 0.4, 0.6, 0.4, 0.6, h=10),
                               sigmoid(np.array([5.0, -5.0, -5.0, -15.0])))
    assert u.tower(0.5, 0.5, 0.4, 0.6, 0.4, 0.6, h=100) > 0.99999


def test_the_step_picture_names_the_step_and_copes_with_w_zero():
    assert "s = -b/w = 0.30" in u.draw_step(100, -30).axes[0].get_title()
    assert "no step" in u.draw_step(0, 1).axes[0].get_title()


def test_the_bump_picture_is_the_weighted_output_of_two_neurons_with_w_1000_and_marks_their_steps():
    ax = u.draw_bump(0.3, 0.7, 1.5).axes[0]
    curve, *marks = ax.lines
    np.testing.assert_allclose(curve.get_ydata(), u.bump(curve.get_xdata(), 0.3, 0.7, 1.5, w=1000))
    assert curve.get_ydata()[300] == pytest.approx(0.75)  # at x = s1 a real neuron is halfway: not an exact step
    assert [mark.get_xdata()[0] for mark in marks] == [0.3, 0.7]
    assert ax.get_title() == "height h = 1.5 between s₁ = 0.30 and s₂ = 0.70"


def test_the_bump_picture_says_what_s1_past_s2_gives_rather_than_refusing():
    ax = u.draw_bump(0.7, 0.3, 1.5).axes[0]
    assert ax.get_title() == "s₁ > s₂: height -h = -1.5 between s₂ = 0.30 and s₁ = 0.70"
    assert ax.lines[0].get_ydata()[500] == pytest.approx(-1.5)  # at x = 0.5
    assert u.draw_bump(0.7, 0.3, 0.0).axes[0].get_title().startswith("s₁ > s₂: height -h = 0.0 ")  # not -0.0
    assert "the two steps cancel" in u.draw_bump(0.6000000000000001, 0.6, 1.0).axes[0].get_title()  # a slider's 0.6


def test_the_bump_explorer_redraws_for_each_slider(monkeypatch):
    monkeypatch.delenv(widgets.NO_FRONTEND, raising=False)
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    s1, s2, h = u.bump_explorer().children[:3]
    assert [(s.min, s.max, s.step) for s in (s1, s2, h)] == [(0, 1, 0.01), (0, 1, 0.01), (-2, 2, 0.1)]
    assert shown[-1].axes[0].get_title() == "height h = 0.8 between s₁ = 0.40 and s₂ = 0.60"
    h.value = -1.2
    assert shown[-1].axes[0].get_title() == "height h = -1.2 between s₁ = 0.40 and s₂ = 0.60"
    s1.value = 0.75
    assert shown[-1].axes[0].get_title() == "s₁ > s₂: height -h = 1.2 between s₂ = 0.60 and s₁ = 0.75"
    s2.value = 0.9
    assert shown[-1].axes[0].get_title() == "height h = -1.2 between s₁ = 0.75 and s₂ = 0.90"


def test_the_design_explorer_redraws_and_shows_the_deviation_beside_the_goal(monkeypatch):
    monkeypatch.delenv(widgets.NO_FRONTEND, raising=False)
    explorer = u.design_explorer()
    sliders, status, image = explorer.children[0].children, explorer.children[1], explorer.children[2]
    assert [s.description for s in sliders] == ["h1", "h2", "h3", "h4", "h5"]
    assert status.value == "average deviation 1.06 (the book's goal: 0.40 or below)"
    before = image.value
    for slider, h in zip(sliders, u.heights_for(u.f, 5)):
        slider.value = round(h, 1)
    assert image.value != before
    expected = u.average_deviation(u.equal_bumps([round(h, 1) for h in u.heights_for(u.f, 5)]))
    assert status.value == f"average deviation {expected:.2f} (the book's goal: 0.40 or below): goal reached ✓"


def test_without_a_front_end_the_explorers_show_their_first_picture(monkeypatch, capsys):
    shown = []
    monkeypatch.setenv(widgets.NO_FRONTEND, "1")
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    assert u.step_explorer() is None and u.bump_explorer() is None and u.design_explorer() is None
    assert len(shown) == 3 and "No front end" in capsys.readouterr().out


def test_the_step_explorer_redraws_for_each_slider(monkeypatch):
    monkeypatch.delenv(widgets.NO_FRONTEND, raising=False)
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    explorer = u.step_explorer()
    w, b = explorer.children[:2]
    w.value, b.value = 1000, -300
    assert "s = -b/w = 0.30" in shown[-1].axes[0].get_title()


def test_the_bias_slider_spans_the_biases_that_put_the_step_on_the_picture(monkeypatch):
    monkeypatch.delenv(widgets.NO_FRONTEND, raising=False)
    monkeypatch.setattr(IPython.display, "display", lambda *objects: None)
    w, b = u.step_explorer().children[:2]
    assert (b.min, b.max) == (-10, 10)
    for weight, span in [(100, (-125, 25)), (1000, (-1250, 250)), (-100, (-25, 125)), (0, (-10, 10)), (8, (-10, 10))]:
        w.value = weight
        assert (b.min, b.max) == span, weight
    w.value = 1000
    b.value = -300
    w.value = 100  # the bias is kept within its new span
    assert b.value == -125
