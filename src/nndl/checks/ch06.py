"""Checks for notebook 06, Training on MNIST: its two exercises, its predictions p1-p3 and its questionnaire."""
from ..network import Network
from . import Exercise, Hint, check
from .questions import Choice, Number, Written


@check("A network without a hidden layer, trained: it does far better than the darkness baseline.")
def check_no_hidden_layer(net, test_data):
    if type(net) is not Network:
        raise Hint(f"net_no_hidden should be a Network, the class this notebook trains; got {type(net).__name__}.")
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
    "ex1", check=check_choose_by_validation, grade_id="nb06_choose_eta",
    hints=["Which of the two accuracies may you use to choose settings, and which must stay untouched until "
           "the very end?",
           "Find the run with the highest validation accuracy, and return its 'eta'. Python's max takes a key "
           "function that says what to compare."],
    why="choosing by the validation accuracy keeps the test accuracy an honest estimate: a setting chosen with "
        "the test set is fitted to it.")

ex2 = Exercise(
    "ex2", check=check_no_hidden_layer, grade_id="nb06_no_hidden",
    hints=["Network takes the list of layer sizes: without a hidden layer, that is just the input size and the "
           "output size.",
           "Build it with seed=SEED and dtype=np.float32, then call its SGD method the way this notebook trained "
           "[784, 30, 10], with the training data and a few epochs."],
    why="Network([784, 10]) connects the pixels straight to the outputs. It does far better than the "
        "average-darkness baseline and, here, much worse than a network with a hidden layer: with N(0, 1) initial "
        "weights and the quadratic cost, the output neurons of some digits get stuck in saturation, and the "
        "accuracy levels off well below what a network without a hidden layer can do (the text after the "
        "exercise shows which).")


# ----- the predictions ------------------------------------------------------------------------------

p1 = Choice(
    "p1", right="d",
    wrong={"a": "one pass is 5,000 steps of gradient descent, each on 10 images: plenty of steps to learn a lot.",
           "b": "the first steps are the ones that gain most: the gradient is largest when the network is worst.",
           "c": "close, but the curve rises faster than that: look at the first line of the transcript."},
    hints=["How many mini-batches of 10 make one epoch of 50,000 images, and so how many steps of gradient descent?",
           "Most of the learning happens early, while the network is still badly wrong."],
    why="after one epoch, 5,000 small steps, the network already classifies about 91% of the test images (the book's "
        "run: 91.29%); the next 29 epochs add only a few points. Not 10% or 40%: those many steps do a lot; not 70%: "
        "the first epoch does more than that.")

p2 = Choice(
    "p2", right="c",
    wrong={"a": "σ'(z) at z = -6 is about 0.0025: small, not zero. Each image of the digit still pushes its neuron "
                "a little the right way.",
           "b": "that would make saturation harmless; the book warns that some runs end quite a bit worse.",
           "d": "a stuck output neuron does not change the other output neurons' errors: each has its own δ^L."},
    hints=["A stuck neuron learns slowly. Does it learn not at all?",
           "σ'(z) is never exactly 0, and the hidden layer keeps changing while the other digits are learned."],
    why="a saturated neuron learns slowly, not never: σ'(z) is small but not 0, so each image of its digit still "
        "pushes it a little. The neurons come free one by one, some within an epoch, some not within 30 epochs, and "
        "the two runs end far apart. Not (a): the pushes are small, not zero; not (b): in one run two neurons stay "
        "stuck; not (d): each output neuron has its own error.")

p3 = Choice(
    "p3", right="b",
    wrong={"a": "a step 3,000 times smaller than η = 3.0 needs about 3,000 times as many steps to cover the same "
                "distance; and the huge step of η = 100 overshoots.",
           "c": "η = 100 makes each step 33 times larger than η = 3.0: the weights jump to extremes.",
           "d": "the package computes σ without overflow: very large weights give outputs of exactly 0 or 1, "
                "not NaN."},
    hints=["Each step changes the weights by η times the gradient. How far do 30 epochs of tiny steps go?",
           "With huge steps the weighted inputs z grow huge: where on the sigmoid curve are they then?"],
    why="η = 0.001 moves the weights so little that after 30 epochs the accuracy is still creeping up from chance; "
        "η = 100 throws the weights to extremes, every output neuron saturates, σ' vanishes and the network stays "
        "near 10%. Not (a) or (c): steps too small or too large do not reach 95%; not (d): the package computes σ "
        "without overflow, so no NaN.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Number(
    "q1", 50000.0,
    slips=[(60000.0, "MNIST has 60,000 training images, but the book keeps the last 10,000 of them apart as "
                     "validation data."),
           (70000.0, "that is all of MNIST, test images included.")],
    hints=["The book splits MNIST's 60,000 training images in two.", "How many does it keep for validation?"],
    why="60,000 training images minus the 10,000 kept as validation data: 50,000.")

q2 = Number(
    "q2", 22.25, tolerance=0.006,
    slips=[(0.2225, "give it in percent, as the question asks."), (10.0, "10% is random guessing.")],
    hints=["The baselines section prints it.", "In percent: correct / total × 100."],
    why="the average-darkness classifier gets 2,225 of the 10,000 test images right: 22.25%.")

q3 = Choice(
    "q3", right="a",
    wrong={"b": "at 0.001 the run climbs less than a point per epoch: many more epochs would cost far more time "
                "than a larger η.",
           "c": "the steps are already too small to get anywhere in 30 epochs: smaller ones get less far.",
           "d": "with η = 3.0 the same network reaches about 96%: it is large enough; its steps are too small."},
    hints=["The accuracy is getting better, slowly. What does a slow, steady improvement say about the steps?",
           "The book's rule of thumb: if a change improves things, try doing more of it."],
    why="a slow, steady improvement says the steps are too small: the book raises η to 0.01, sees better results, "
        "and keeps raising it, ending near η = 1.0 and fine-tuning to 3.0. Not more epochs (far slower), not a "
        "smaller η (slower still), not more neurons (the network is not the problem).")

q4 = Choice(
    "q4", right="d",
    wrong={"a": "one run in each precision, from different starts, cannot blame the precision; and the stuck "
                "neurons were there after the first epoch.",
           "b": "the run from SEED, with the same 100 hidden neurons, ended above the [784, 30, 10] network.",
           "c": "its accuracy hardly moved over its last epochs, while the neurons of two digits stayed stuck."},
    hints=["What differed between the two runs, besides the precision?",
           "When did the float64 run's neurons get stuck, and what did the later epochs change?"],
    why="the float64 run got stuck worse than the float32 one, so float64 is no cure; with N(0, 1) weights some "
        "starts push output neurons into saturation in the first epoch, and some of them stay there: the variation "
        "between runs the book warns about, which chapter 3's smaller initial weights cure. Not (a): the runs also "
        "differ in their start; not (b): the same 100 neurons did well from SEED; not (c): the float64 run had "
        "stopped climbing.")

q5 = Written(
    "q5",
    answer="A good answer says that the confusion matrix counts, for each true digit, how often the network "
           "predicted each digit: it shows which digits are confused with which (in this notebook 3 read as 5, 9 "
           "read as 4, 8 read as 5), where the accuracy alone gives one number for all digits together.",
    hints=["What are the rows and the columns of the confusion matrix?", "Which cells hold the mistakes?"],
    why="it is what the confusion matrix of this notebook shows beside the accuracy.")
