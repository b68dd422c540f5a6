"""The checks of notebook 14 accept right answers, name typical mistakes, and never print the answer; the package
references they use agree with direct loops and with finite differences."""
import nbformat
import numpy as np
import pytest
import scipy.signal
from numpy.lib.stride_tricks import sliding_window_view

from checking import assert_accepts, assert_rejects, printed, stub
from nndl import teach
from nndl.checks import ch14, numerical_gradient
from nndl.learner import learner_version
from nndl.network3 import ConvPoolLayer


# ----- the references ----------------------------------------------------------------------------------------------

def loop_convolve(a, w):
    fh, fw = w.shape
    out = np.zeros((a.shape[0] - fh + 1, a.shape[1] - fw + 1))
    for j in range(out.shape[0]):
        for k in range(out.shape[1]):
            out[j, k] = np.sum(w * a[j:j + fh, k:k + fw])
    return out


def test_package_convolve_is_eq_125_by_loops_and_by_hand():
    rng = np.random.default_rng(0)
    a, w = rng.standard_normal((6, 7)), rng.standard_normal((3, 2))
    np.testing.assert_allclose(ch14.package_convolve(a, w), loop_convolve(a, w), atol=1e-12)
    np.testing.assert_allclose(ch14.package_convolve([[1, 2, 3], [4, 5, 6]], [[1, -1]]), [[-1, -1], [-1, -1]])


def test_package_max_pool_and_its_backward_by_hand_and_by_finite_differences():
    z = np.array([[1.0, 5.0, 2.0, 0.0, 9.0], [3.0, 4.0, 8.0, 1.0, 9.0], [7.0, 7.0, 7.0, 7.0, 7.0]])
    np.testing.assert_array_equal(ch14.package_max_pool(z, (2, 2)), [[5.0, 8.0]])
    np.testing.assert_array_equal(ch14.package_max_pool_backward(z, [[2.0, -1.0]], (2, 2)),
                                  [[0, 2, 0, 0, 0], [0, 0, -1, 0, 0], [0, 0, 0, 0, 0]])
    rng = np.random.default_rng(1)
    z, delta = rng.standard_normal((6, 5)), rng.standard_normal((2, 2))
    measured = numerical_gradient(lambda x: float(np.sum(delta * ch14.package_max_pool(x, (3, 2)))), z.copy())
    np.testing.assert_allclose(ch14.package_max_pool_backward(z, delta, (3, 2)), measured, atol=1e-8)


def test_routes_to_the_maxima_accepts_any_split_at_a_tie_and_nothing_else():
    z, delta = np.array([[3.0, 1.0], [3.0, 0.0]]), np.array([[2.0]])
    assert ch14.routes_to_the_maxima(z, delta, (2, 2), [[2.0, 0], [0, 0]])
    assert ch14.routes_to_the_maxima(z, delta, (2, 2), [[1.0, 0], [1.0, 0]])
    assert not ch14.routes_to_the_maxima(z, delta, (2, 2), [[2.0, 0], [2.0, 0]])  # δ counted twice
    assert not ch14.routes_to_the_maxima(z, delta, (2, 2), [[1.5, 0.5], [0, 0]])  # some to a non-maximum
    assert not ch14.routes_to_the_maxima(z, delta, (2, 2), [[2.0, 0, 0]])          # the wrong shape


def test_the_book_runs_quoted_are_the_books():
    assert [accuracy for _, accuracy in ch14.BOOK_RUNS] == [97.80, 98.78, 99.06, 99.23, 99.37, 99.43, 99.60, 99.67]


# ----- Exercise 1: convolve ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [loop_convolve,
                                    lambda a, w: np.einsum("jklm,lm->jk", sliding_window_view(a, w.shape), w)])
def test_convolve_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch14.check_convolve, answer)


def in_place(a, w):
    a -= a.mean()
    return loop_convolve(a, w)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda a, w: loop_convolve(a, w[::-1, ::-1]), ["flipped", "cross-correlation"]),
    (lambda a, w: scipy.signal.convolve2d(a, w, "valid"), ["flipped"]),
    (lambda a, w: scipy.signal.correlate2d(a, w, "valid"), ["calls correlate2d", "eq. (125)"]),
    (ch14.package_convolve, ["calls package_convolve"]),
    (lambda a, w: loop_convolve(a, w.T) if w.shape[0] == w.shape[1] else loop_convolve(a, w), ["transposed"]),
    (lambda a, w: np.maximum(loop_convolve(a, w), 0), ["neuron's function"]),
    (lambda a, w: scipy.signal.correlate2d(a, w, "same") + 0, ["calls correlate2d"]),
    (lambda a, w: np.pad(loop_convolve(a, w), ((0, w.shape[0] - 1), (0, w.shape[1] - 1))), ["fits entirely"]),
    (lambda a, w: loop_convolve(a, w)[:-1, :-1], ["one position short"]),
    (lambda a, w: loop_convolve(a, w) + (np.arange(loop_convolve(a, w).size) == 3).reshape(loop_convolve(a, w).shape),
     ["(j, k) = (", "which weight"]),
    (in_place, ["changed the image"]),
])
def test_convolve_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch14.check_convolve, (wrong,), *phrases)


# ----- Exercise 2: max_pool ----------------------------------------------------------------------------------------

def max_pool(z, size):
    ph, pw = size
    rows, cols = z.shape[0] // ph, z.shape[1] // pw
    return z[:rows * ph, :cols * pw].reshape(rows, ph, cols, pw).max(axis=(1, 3))


def loop_max_pool(z, size):
    ph, pw = size
    return np.array([[z[r * ph:(r + 1) * ph, c * pw:(c + 1) * pw].max() for c in range(z.shape[1] // pw)]
                     for r in range(z.shape[0] // ph)])


def started_at_zero(z, size):
    ph, pw = size
    out = np.zeros((z.shape[0] // ph, z.shape[1] // pw))
    for r, c in np.ndindex(out.shape):
        for value in z[r * ph:(r + 1) * ph, c * pw:(c + 1) * pw].flat:
            out[r, c] = max(out[r, c], value)
    return out


def ceil_blocks(z, size):
    ph, pw = size
    return np.array([[z[r:r + ph, c:c + pw].max() for c in range(0, z.shape[1], pw)] for r in range(0, z.shape[0], ph)])


@pytest.mark.parametrize("answer", [max_pool, loop_max_pool])
def test_max_pool_accepts_right_answers(capsys, answer):
    assert_accepts(capsys, ch14.check_max_pool, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (lambda z, size: ch14._block_means(z, size, np.mean), ["averages"]),
    (lambda z, size: np.sqrt(ch14._block_means(z * z, size, np.sum)), ["L2 pooling"]),
    (started_at_zero, ["all negative", "started at 0"]),
    (ceil_blocks, ["part-filled block", "left out"]),
    (lambda z, size: z.copy(), ["size of the input"]),
    (lambda z, size: max_pool(z, size[::-1]) if size == (3, 2) else max_pool(z, size), ["side by side"]),
    (lambda z, size: max_pool(z, size) * 1.5, ["not the blocks' maxima"]),
    (ch14.package_max_pool, ["package function package_max_pool"]),
])
def test_max_pool_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch14.check_max_pool, (wrong,), *phrases)


# ----- Exercise 3: max_pool_backward -------------------------------------------------------------------------------

def max_pool_backward(z, delta, size):
    ph, pw = size
    gradient = np.zeros(z.shape)
    for r, c in np.ndindex(delta.shape):
        block = z[r * ph:(r + 1) * ph, c * pw:(c + 1) * pw]
        i, j = np.unravel_index(np.argmax(block), block.shape)
        gradient[r * ph + i, c * pw + j] = delta[r, c]
    return gradient


def last_winner(z, delta, size):
    """Ties to the last maximum instead of the first: as right as the package's choice."""
    flipped = max_pool_backward(z[::-1, ::-1][-(z.shape[0] // size[0] * size[0]):, -(z.shape[1] // size[1] * size[1]):],
                                delta[::-1, ::-1], size)[::-1, ::-1]
    gradient = np.zeros(z.shape)
    gradient[:flipped.shape[0], :flipped.shape[1]] = flipped
    return gradient


def masked(z, delta, size, share=False):
    ph, pw = size
    hp, wp = delta.shape
    blocks = z[:hp * ph, :wp * pw].reshape(hp, ph, wp, pw)
    mask = (blocks == blocks.max(axis=(1, 3), keepdims=True)).astype(float)
    if share:
        mask /= mask.sum(axis=(1, 3), keepdims=True)
    gradient = np.zeros(z.shape)
    gradient[:hp * ph, :wp * pw] = (mask * delta[:, None, :, None]).reshape(hp * ph, wp * pw)
    return gradient


def spread(z, delta, size, scale):
    gradient = np.zeros(z.shape)
    block = np.kron(delta, np.ones(size)) * scale
    gradient[:block.shape[0], :block.shape[1]] = block
    return gradient


def leaking_edge(z, delta, size):
    gradient = max_pool_backward(z, delta, size)
    gradient[-1, -1] = 1.0 if z.shape[0] % size[0] or z.shape[1] % size[1] else gradient[-1, -1]
    return gradient


@pytest.mark.parametrize("answer", [max_pool_backward, last_winner, lambda z, d, s: masked(z, d, s, share=True)])
def test_max_pool_backward_accepts_any_routing_to_the_maxima(capsys, answer):
    assert_accepts(capsys, ch14.check_max_pool_backward, answer)


@pytest.mark.parametrize("wrong, phrases", [
    (masked, ["tie", "z == max"]),
    (lambda z, d, s: spread(z, d, s, 1 / (s[0] * s[1])), ["average pooling"]),
    (lambda z, d, s: spread(z, d, s, 1.0), ["full δ"]),
    (leaking_edge, ["left out get a non-zero gradient"]),
    (lambda z, d, s: -max_pool_backward(z, d, s), ["central differences"]),
    (lambda z, d, s: max_pool_backward(z, d, s)[:d.shape[0] * s[0], :d.shape[1] * s[1]], ["shape"]),
    (ch14.package_max_pool_backward, ["package function package_max_pool_backward"]),
])
def test_max_pool_backward_rejects_typical_mistakes(capsys, wrong, phrases):
    assert_rejects(capsys, ch14.check_max_pool_backward, (wrong,), *phrases)


def graded_test_in_the_learners_view(name):
    learner = learner_version(nbformat.read(teach.chapters()["ch14"], 4))
    graded = next(cell.source for cell in learner.cells if cell.metadata.get("nbgrader", {}).get("grade_id")
                  == f"nb14_{name}_test")
    assert "HIDDEN" not in graded
    return graded


@pytest.mark.parametrize("name, slip", [("max_pool", started_at_zero), ("max_pool", ceil_blocks),
                                        ("max_pool_backward", masked)])
def test_the_graded_test_in_the_learners_view_fails_the_slips_the_check_names(name, slip):
    """A learner whose check says ✗ must not see the graded test under it pass: its visible part catches the slip."""
    with pytest.raises(AssertionError):
        exec(graded_test_in_the_learners_view(name), {name: slip})


@pytest.mark.parametrize("name, answer", [("max_pool", max_pool), ("max_pool", loop_max_pool),
                                          ("max_pool_backward", max_pool_backward),
                                          ("max_pool_backward", lambda z, d, s: masked(z, d, s, share=True))])
def test_the_graded_test_in_the_learners_view_passes_right_answers(name, answer):
    exec(graded_test_in_the_learners_view(name), {name: answer})


@pytest.mark.parametrize("check", [ch14.check_convolve, ch14.check_max_pool, ch14.check_max_pool_backward])
def test_an_unsolved_exercise_is_not_done_yet(capsys, check):
    assert printed(capsys, check, stub).startswith("… Not done yet")


def test_the_package_layers_work_again_after_a_check():
    ch14.check_convolve(ch14.package_convolve)
    ch14.check_max_pool_backward(ch14.package_max_pool_backward)
    layer = ConvPoolLayer((1, 1, 2, 2), (1, 1, 4, 4), (1, 1))
    assert layer.convolve(np.ones((1, 16))).shape == (1, 1, 3, 3)
    assert ch14.package_max_pool(np.eye(2), (2, 2)).tolist() == [[1.0]]
