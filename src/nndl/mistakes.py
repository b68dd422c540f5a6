"""The test images a trained network gets wrong, saved as JSON for notebook 14 to show.

``python -m nndl train --network3 NAME --mistakes FILE`` writes them: for
each test image that the network after its last epoch (an ensemble: the
majority vote of its networks after their last epochs) misclassifies, its
index in the test set, its label and the answer, with the command that
produced them.  The course ships the list of our ensemble's mistakes, as the
book shows the 33 images its ensemble misclassifies.
"""
import json

from .mnist import shipped_data
from .persistence import atomic_write, holds_saved_json, read_json

SHIPPED_MISTAKES = shipped_data() / "runs" / "ensemble_mistakes.json"
"""Our ensemble's mistakes on the 10,000 test images (the command is in the file; README, chapter 6's runs)."""

SAVED_MISTAKES_MAX_BYTES = 2 ** 22
"""Far more than any list takes (all 10,000 test images wrong would take about 570 kB)."""


def find_mistakes(answers, labels):
    """``[(index, label, answer), ...]`` for every example whose answer is not its label."""
    return [(index, int(label), int(answer)) for index, (label, answer) in enumerate(zip(labels, answers))
            if label != answer]


def save_mistakes(path, mistakes, n_test, run):
    """Write ``mistakes`` (``find_mistakes``'s) of ``n_test`` test images and the ``run`` command, atomically."""
    text = json.dumps({"run": run, "test_images": n_test,
                       "mistakes": [{"index": i, "label": label, "answer": answer} for i, label, answer in mistakes]},
                      indent=1)
    with atomic_write(path) as f:
        f.write(text.encode())


def load_mistakes(path=SHIPPED_MISTAKES):
    """Read a file ``save_mistakes`` wrote: a dict with ``run``, ``test_images`` and ``mistakes`` (a list of dicts
    with ``index``, ``label`` and ``answer``); a file that is not one raises ValueError."""
    problem = f"{path} is not a list of mistakes saved by `python -m nndl train --network3 ... --mistakes`"
    saved = read_json(path, problem)
    fields = {"index", "label", "answer"}
    if not (isinstance(saved, dict) and {"run", "test_images", "mistakes"} <= set(saved)
            and isinstance(saved["mistakes"], list)
            and all(isinstance(m, dict) and set(m) == fields for m in saved["mistakes"])):
        raise ValueError(f"{problem}: it lacks the run, the number of test images or the mistakes "
                         f"(each with index, label and answer)")
    return saved


def is_saved_mistakes(path):
    """True if ``path`` holds a list that ``load_mistakes`` reads (``--mistakes`` replaces only such a file)."""
    return holds_saved_json(path, load_mistakes, SAVED_MISTAKES_MAX_BYTES)
