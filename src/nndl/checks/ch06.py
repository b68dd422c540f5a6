"""Checks for notebook 06, Training on MNIST."""
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
    "ex1", check=check_no_hidden_layer, grade_id="nb06_no_hidden",
    hints=["Network takes the list of layer sizes: without a hidden layer, that is just the input size and the "
           "output size.",
           "Build it with seed=SEED and dtype=np.float32, then call its SGD method the way this notebook trained "
           "[784, 30, 10], with the training data and a few epochs."],
    why="Network([784, 10]) connects the pixels straight to the outputs. It does much worse than a network "
        "with a hidden layer, but far better than the average-darkness baseline; with N(0, 1) initial weights "
        "many output neurons start saturated, which slows it further.")

ex2 = Exercise(
    "ex2", check=check_choose_by_validation, grade_id="nb06_choose_eta",
    hints=["Which of the two accuracies may you use to choose settings, and which must stay untouched until "
           "the very end?",
           "Find the run with the highest validation accuracy, and return its 'eta'. Python's max takes a key "
           "function that says what to compare."],
    why="choosing by the validation accuracy keeps the test accuracy an honest estimate: a setting chosen with "
        "the test set is fitted to it.")


# ----- the questionnaire (see questions.py) --------------------------------------------------------

q1 = Number(
    "q1", 50000.0,
    slips=[(60000.0, "MNIST has 60,000 training images, but the book keeps the last 10,000 of them apart as "
                     "validation data."),
           (70000.0, "that is all of MNIST, test images included.")],
    hints=["The book splits MNIST's 60,000 training images in two.", "How many does it keep for validation?"],
    why="60,000 training images minus the 10,000 kept as validation data: 50,000.")

q2 = Choice(
    "q2", right="a",
    wrong={"b": "the test data must stay unseen until the end, or the final accuracy flatters the network.",
           "c": "accuracy on the training data rewards memorising the training images.",
           "d": "each set has its own job: train, choose, and measure once at the end."},
    hints=["Which data set did this notebook keep apart for choosing settings?", "Exercise 2's rule."],
    why="hyper-parameters are chosen on the validation data, so that the test data give an honest final measurement.")

q3 = Number(
    "q3", 22.25, tolerance=0.006,
    slips=[(0.2225, "give it in percent, as the question asks."), (10.0, "10% is random guessing.")],
    hints=["The baselines section prints it.", "In percent: correct / total × 100."],
    why="the average-darkness classifier gets 2,225 of the 10,000 test images right: 22.25%.")

q4 = Choice(
    "q4", right="a",
    wrong={"b": "that was η = 100, where the neurons saturate.",
           "c": "that was η = 3.0.",
           "d": "no run of this notebook produced NaN: a step of 0.001 is tiny."},
    hints=["Look at the learning curves of the section \"Hyper-parameters gone wrong\".",
           "Each step moves the weights by η times the gradient."],
    why="η = 0.001 makes every step tiny: in 30 epochs the weights move little, and the accuracy only creeps up.")

q5 = Choice(
    "q5", right="a",
    wrong={"b": "the network has 100 hidden neurons for every digit; the measurement shows a problem in the output "
                "layer, on one digit's images.",
           "c": "the neuron is as stuck after 30 epochs as after one (compare the two tables): more epochs of the "
                "same kind leave it there.",
           "d": "the same start, in float64, trains well, so η = 3.0 is not too small for this network."},
    hints=["Read the table of the output layer: which digit stands out?",
           "What does σ'(z) for z < -5 do to the error δ^L of BP1?"],
    why="the output neuron of one digit is saturated at 0 on that digit's images: σ'(z^L) ≈ 0 makes its δ^L tiny "
        "(BP1), so it never learns to say \"this is that digit\", and those images are nearly all misclassified.")

q6 = Written(
    "q6",
    answer="A good answer says that the confusion matrix counts, for each true digit, how often the network "
           "predicted each digit: it shows which digits are confused with which (for example 4 and 9, or 3 and 5), "
           "where the accuracy alone gives one number for all digits together.",
    hints=["What are the rows and the columns of the confusion matrix?", "Which cells hold the mistakes?"],
    why="it is what the confusion matrix of this notebook shows beside the accuracy.")
