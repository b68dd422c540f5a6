"""Checks for notebook 05, Training on MNIST."""
from . import Exercise, Hint, check
from .questions import Choice, Number, Written


@check("A network without a hidden layer, trained: it does far better than the darkness baseline.")
def check_no_hidden_layer(net, test_data):
    if list(net.sizes) != [784, 10]:
        raise Hint(f"build Network([784, 10]): 784 inputs straight to 10 outputs; yours has sizes {net.sizes}.")
    accuracy = net.evaluate(test_data) / len(test_data)
    if accuracy < 0.5:
        raise Hint(f"it classifies only {accuracy:.0%} of the test images: train it with net.SGD(...) first "
                   "(a few epochs, mini-batch 10, η = 3.0 work).")


@check("You choose by validation accuracy: the test set stays untouched until the very end.")
def check_choose_by_validation(choose):
    runs = [{"eta": 0.3, "validation": 0.931, "test": 0.950},
            {"eta": 3.0, "validation": 0.952, "test": 0.944},
            {"eta": 30.0, "validation": 0.101, "test": 0.098}]
    picked = choose(runs)
    if picked == 0.3:
        raise Hint("you picked by the test accuracy. Choosing with the test set makes its score an "
                   "optimistic, biased estimate: choose by the validation accuracy.")
    if picked != 3.0:
        raise Hint("return the η (the value of 'eta') of the run with the highest validation accuracy.")
    if choose(list(reversed(runs))) != 3.0 or choose(runs[:1]) != 0.3:
        raise Hint("your choice depends on the order of the runs, or fails with a single run.")


ex1 = Exercise(
    "ex1", check=check_no_hidden_layer, grade_id="nb05_no_hidden",
    hints=["Network takes the list of layer sizes: without a hidden layer, that is just the input size and the "
           "output size.",
           "Build it with seed=SEED and dtype=np.float32, then call its SGD method the way this notebook trained "
           "[784, 30, 10], with the training data and a few epochs."],
    why="Network([784, 10]) connects the pixels straight to the outputs. It does much worse than a network "
        "with a hidden layer, but far better than the average-darkness baseline; with N(0, 1) initial weights "
        "many output neurons start saturated, which slows it further.")

ex2 = Exercise(
    "ex2", check=check_choose_by_validation, grade_id="nb05_choose_eta",
    hints=["Which of the two accuracies may you use to choose settings, and which must stay untouched until "
           "the very end?",
           "Find the run with the highest validation accuracy, and return its 'eta'. Python's max takes a key "
           "function that says what to compare."],
    why="choosing by the validation accuracy keeps the test accuracy an honest estimate: a setting chosen with "
        "the test set is fitted to it.")
