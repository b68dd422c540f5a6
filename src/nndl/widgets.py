"""Interactive tools for the notebooks, built on ipywidgets with matplotlib figures (no ipympl needed).

* ``sigmoid_explorer()`` (notebook 02): sliders for a sigmoid neuron's weight
  and bias; its output curve redraws.
* ``gradient_descent_explorer()`` (notebooks 03 and 07): sliders for η, the
  start and the number of steps over a cost valley; the path and the cost per
  step redraw.
* ``learning_rate_sweep(sweep)`` (notebook 07): accuracy against η on a log
  axis, and the training cost per epoch of the η's you tick.
* ``learning_rate_explorer(training_data, validation_data)`` (notebook 07):
  train on MNIST at the η, hidden layer and mini-batch size you pick, with a
  live accuracy plot, earlier runs kept faded, a Stop button and a cache of runs.
* ``neuron_slowdown_explorer()`` (notebook 08): one sigmoid neuron learning
  to turn 1 into 0, from the start and with the cost you pick; its output and
  cost per epoch, beside the same neuron under the other cost.
* ``regularisation_explorer(runs)`` (notebook 09): pick a run (a λ, or
  dropout) and see its training and test accuracy per epoch over the others.
* ``train_live(net, ...)`` (notebooks 06 and 07): ``Network.SGD`` with an
  epoch progress bar and the accuracy curve redrawn after every epoch.

Every picture comes from a plain function or method that returns a figure
(``draw_descent``, ``draw_sweep``, ``LearningRateExplorer.figure``), so the
tests check them without a browser.  The figures are ``matplotlib.figure.Figure``
objects made without pyplot: pyplot keeps global state and is not safe to use
from the background thread in which the explorer trains.  An ``interact``
callback shows its figure with ``display(fig)`` and returns None: ipywidgets
captures pyplot figures only under the full name of the inline backend
(``module://matplotlib_inline.backend_inline``), so a callback drawing with
pyplot would show its picture once, outside the widget, and never redraw.
ipywidgets is imported only when a widget is built.  Where no browser will
show a widget (the autograder's kernel sets ``NNDL_NO_FRONTEND=1``), each
explorer shows its first picture and builds no controls, so grading a
notebook never waits on a widget.
"""
import html
import io
import os
import threading
from types import SimpleNamespace

import numpy as np
from matplotlib.figure import Figure

from . import descent, neuron, plots
from .checking import check_count, check_eta
from .network import Network
from .sweep import DEFAULT_ETAS, check_not_all_diverged

SURFACES = {s.name: s for s in (descent.VALLEY, descent.ELONGATED_VALLEY)}
NO_FRONTEND = "NNDL_NO_FRONTEND"  # set by nndl.teach's grading kernel


def _without_front_end(first_picture):
    """True, after showing ``first_picture()`` and a note, where no browser will show widgets (see ``NO_FRONTEND``)."""
    if not os.environ.get(NO_FRONTEND):
        return False
    from IPython.display import display

    picture = first_picture()
    if picture is not None:
        display(picture)
    print("(No front end: the interactive controls are left out.)")
    return True


def _natural_size_layout():
    """An Image's layout that keeps the picture at its own size (a VBox would stretch it to the full width)."""
    import ipywidgets as widgets

    return widgets.Layout(align_self="flex-start")


def _row(children):
    """An HBox whose controls wrap onto the next line in a narrow window, instead of sticking out."""
    import ipywidgets as widgets

    return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap"))


def figure_png(fig, dpi=80):
    """A figure as PNG bytes, for an ``ipywidgets.Image`` (which, unlike an Output widget, any thread may update)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


# ----- one sigmoid neuron (notebook 02) ---------------------------------------------------------

def draw_sigmoid_neuron(w=1.0, b=0.0):
    """The sigmoid explorer's picture: σ(w x + b) against x, beside the perceptron's step."""
    fig = Figure(figsize=(6, 3.5))
    plots.plot_sigmoid_neuron(w, b, fig.subplots())
    fig.tight_layout()
    return fig


def sigmoid_explorer():
    """Sliders for the weight and the bias of a one-input sigmoid neuron, redrawing ``draw_sigmoid_neuron``."""
    if _without_front_end(draw_sigmoid_neuron):
        return None
    import ipywidgets as widgets
    from IPython.display import display

    def show(w, b):
        display(draw_sigmoid_neuron(w, b))

    return widgets.interactive(
        show,
        w=widgets.FloatSlider(value=1.0, min=-10, max=10, step=0.25, description="weight w"),
        b=widgets.FloatSlider(value=0.0, min=-10, max=10, step=0.25, description="bias b"))


# ----- gradient descent on a valley (notebooks 03 and 07) ---------------------------------------

def draw_descent(surface_name="elongated valley", eta=0.1, v1=1.2, v2=1.0, steps=20, edges=True):
    """The explorer's picture: the path on the contour plot, the cost per step beside it.

    Returns ``(figure, path, regime)`` where ``regime`` names what η does on this surface
    ("too small", "converges", "oscillates", "diverges").  The title names the regime, and with
    ``edges`` also the learning rates between the regimes (notebook 07's Exercise 1 works them out,
    so notebook 03 leaves them out).
    """
    if surface_name not in SURFACES:
        raise ValueError(f"surface_name must be one of {list(SURFACES)}, got {surface_name!r}")
    surface = SURFACES[surface_name]
    path = descent.gradient_descent(surface, (v1, v2), eta, steps)
    regime = descent.regime(surface, eta)
    fig = Figure(figsize=(10, 4.2))
    left, right = fig.subplots(1, 2)
    plots.plot_descent(surface, path, left)
    plots.plot_cost_per_step(surface, path, right)
    title = f"η = {eta:.4g}: {regime}"
    if edges:
        low, overshoots, diverges = descent.regime_edges(surface)
        title += (f"\non this surface: too small < {low:.3g} < converges < {overshoots:.3g} < oscillates < "
                  f"{diverges:.3g} < diverges")
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig, path, regime


def gradient_descent_explorer(surface_name="elongated valley", edges=True):
    """Sliders for η (logarithmic), the start point and the number of steps, redrawing ``draw_descent``."""
    if _without_front_end(lambda: draw_descent(surface_name, edges=edges)[0]):
        return None
    import ipywidgets as widgets
    from IPython.display import display

    def show(surface_name, eta, v1, v2, steps):
        display(draw_descent(surface_name, eta, v1, v2, steps, edges)[0])

    return widgets.interactive(
        show,
        surface_name=widgets.Dropdown(options=list(SURFACES), value=surface_name, description="surface"),
        eta=widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0.5, step=0.05, description="η",
                                   readout_format=".4g", continuous_update=False),
        v1=widgets.FloatSlider(value=1.2, min=-1.5, max=1.5, step=0.1, description="start v1"),
        v2=widgets.FloatSlider(value=1.0, min=-1.5, max=1.5, step=0.1, description="start v2"),
        steps=widgets.IntSlider(value=20, min=1, max=100, description="steps"),
    )


# ----- the learning-rate sweep (notebook 07) ----------------------------------------------------

def draw_sweep(sweep, chosen=None):
    """The sweep's accuracy against η, beside the training cost per epoch of the ``chosen`` η's."""
    fig = Figure(figsize=(10, 3.8))  # no wider than a notebook shows at full size, so that its text stays legible
    left, right = fig.subplots(1, 2)
    plots.plot_sweep(sweep, left)
    plots.plot_cost_curves(sweep, chosen if chosen is not None else [], right)
    fig.tight_layout()
    return fig


def learning_rate_sweep(sweep):
    """``draw_sweep`` with a list for picking the η's whose cost curves are shown (a sweep from ``nndl.sweep``).

    The list starts with the smallest, the best and the largest η ticked: one crawls, one learns, one is stuck.
    """
    check_not_all_diverged(sweep)
    etas = [run["eta"] for run in sweep["runs"]]
    best = max(sweep["runs"], key=lambda run: run["accuracy"][-1])["eta"]
    first = sorted({min(etas), best, max(etas)})
    if _without_front_end(lambda: draw_sweep(sweep, first)):
        return None
    import ipywidgets as widgets
    from IPython.display import display

    picker = widgets.SelectMultiple(options=[(f"η = {e:g}", e) for e in etas], rows=min(len(etas), 11),
                                    value=first, description="cost of")
    return widgets.interactive(lambda chosen: display(draw_sweep(sweep, chosen)), chosen=picker)


# ----- the learning slowdown of one neuron (notebook 08) ----------------------------------------

def draw_neuron_learning(w=2.0, b=2.0, cost="quadratic", eta=0.15, epochs=300):
    """The neuron's output and cost per epoch under ``cost``, from the start (w, b); returns ``(figure, run)``.

    The left plot also shows, faded, the output of the same neuron trained with the other cost and the same η,
    so that the two can be compared at a glance.
    """
    run = neuron.train_neuron(w, b, cost, eta, epochs)
    other_name = next(name for name in neuron.COSTS if name != cost)
    other = neuron.train_neuron(w, b, other_name, eta, epochs)
    fig = Figure(figsize=(10, 3.6))
    left, right = fig.subplots(1, 2)
    epochs_axis = np.arange(epochs + 1)
    left.plot(epochs_axis, run.outputs, label=cost)
    left.plot(epochs_axis, other.outputs, alpha=0.35, label=other_name)
    left.set(xlabel="epoch", ylabel="output a", ylim=(-0.02, 1.02), title="the neuron's output (target 0)")
    left.legend()
    right.plot(epochs_axis, run.costs)
    right.set(xlabel="epoch", ylabel="cost", ylim=(0, None), title=f"{cost} cost")
    fig.suptitle(f"start w = {w:.2f}, b = {b:.2f}: output {run.outputs[0]:.2f}; after {epochs} epochs "
                 f"at η = {eta:g}: output {run.outputs[-1]:.2f}", fontsize=11)
    fig.tight_layout()
    return fig, run


def neuron_slowdown_explorer(w=2.0, b=2.0, cost="quadratic", eta=0.15):
    """Sliders for the starting weight and bias and η, a menu for the cost, redrawing ``draw_neuron_learning``."""
    if _without_front_end(lambda: draw_neuron_learning(w, b, cost, eta)[0]):
        return None
    import ipywidgets as widgets
    from IPython.display import display

    def show(w, b, cost, eta, epochs):
        display(draw_neuron_learning(w, b, cost, eta, epochs)[0])

    return widgets.interactive(
        show,
        w=widgets.FloatSlider(value=w, min=-3.0, max=3.0, step=0.1, description="start w"),
        b=widgets.FloatSlider(value=b, min=-3.0, max=3.0, step=0.1, description="start b"),
        cost=widgets.Dropdown(options=list(neuron.COSTS), value=cost, description="cost"),
        eta=widgets.FloatLogSlider(value=eta, base=10, min=-3, max=0.5, step=0.05, description="η",
                                   readout_format=".3g", continuous_update=False),
        epochs=widgets.IntSlider(value=300, min=10, max=1000, step=10, description="epochs"),
    )


# ----- overfitting and regularisation (notebook 09) ---------------------------------------------

def draw_accuracy_runs(runs, chosen):
    """Training and test accuracy per epoch of the run named ``chosen``, the other runs' test accuracy faded.

    ``runs`` maps a label (such as "λ = 0.1") to ``(training_accuracy, test_accuracy)``, two lists of
    fractions per epoch.  The gap between the two solid curves is the overfitting.  The faded curves are
    grey, each in its own dash pattern and named in the legend.
    """
    if chosen not in runs:
        raise ValueError(f"chosen must be one of {list(runs)}, got {chosen!r}")
    fig = Figure(figsize=(8, 4))
    ax = fig.subplots()
    others = [label for label in runs if label != chosen]
    faded = [ax.plot(np.arange(len(runs[label][1])), runs[label][1], color="grey", alpha=0.6, linewidth=1,
                     dashes=dashes, label=f"{label}: test accuracy")[0]  # epochs from 0, as in the transcript
             for label, dashes in zip(others, [(4, 2), (1, 1.5), (6, 2, 1, 2), (2, 3), (8, 3)] * len(others))]
    training, test = runs[chosen]
    chosen_lines = ax.plot(np.arange(len(training)), training, label="training accuracy")
    chosen_lines += ax.plot(np.arange(len(test)), test, label="test accuracy")
    low = max(0.0, min(min(min(a), min(b)) for a, b in runs.values()) - 0.02)
    ax.set(xlabel="epoch", ylabel="accuracy", ylim=(low, 1.01),
           title=f"{chosen}: test {test[-1]:.2%} after {len(test)} epochs (best {max(test):.2%})")
    if low > 0:
        ax.text(0.01, 0.02, f"axis zoomed: {low:.0%} to 100%", transform=ax.transAxes, ha="left", va="bottom",
                fontsize="x-small", color="dimgray")
    ax.legend(handles=chosen_lines + faded, loc="lower right", fontsize="small", ncols=2)  # the chosen run first
    fig.tight_layout()
    return fig


def regularisation_explorer(runs):
    """A slider over the ``runs`` (see ``draw_accuracy_runs``), starting at the first."""
    if _without_front_end(lambda: draw_accuracy_runs(runs, next(iter(runs)))):
        return None
    import ipywidgets as widgets
    from IPython.display import display

    return widgets.interactive(lambda chosen: display(draw_accuracy_runs(runs, chosen)),
                               chosen=widgets.SelectionSlider(options=list(runs), description="run",
                                                              layout=widgets.Layout(width="500px")))


# ----- live training (notebooks 06 and 07) ------------------------------------------------------

class LiveCurve:
    """An epoch progress bar, a readout and an accuracy plot that ``update(epoch, history)`` redraws.

    ``update`` has the signature of ``Network.SGD``'s ``callback``, so
    ``net.SGD(..., callback=LiveCurve(epochs, "my run").update)`` shows the
    training as it goes; ``widget`` is what to display.
    """

    def __init__(self, epochs, label):
        import ipywidgets as widgets

        self.label = label
        self.progress = widgets.IntProgress(value=0, min=0, max=epochs, description="epochs")
        self.readout = widgets.Label(f"0 / {epochs} epochs")
        self.image = widgets.Image(format="png", value=figure_png(self.figure({})), layout=_natural_size_layout())
        self.widget = widgets.VBox([_row([self.progress, self.readout]), self.image])

    def figure(self, runs):
        """The accuracy of ``runs`` (as for ``plots.plot_accuracy``) on an axis from the first epoch to the last."""
        fig = Figure(figsize=(6, 3.5))
        ax = plots.plot_accuracy(runs, fig.subplots())
        ax.set_xlim(-0.5, self.progress.max - 0.5)  # epochs 0 ... epochs - 1, as in the transcript
        fig.tight_layout()
        return fig

    def update(self, epoch, history):
        self.progress.value = epoch + 1
        self.readout.value = f"{epoch + 1} / {self.progress.max} epochs"
        if history.test_correct:
            self.readout.value += f", test accuracy {history.test_accuracy[-1]:.2%}"
            self.image.value = figure_png(self.figure({self.label: history}))


def train_live(net, training_data, epochs, mini_batch_size, eta, test_data=None, label=None):
    """``net.SGD(...)`` showing an epoch progress bar and, with ``test_data``, the accuracy curve after every epoch.

    Returns the ``History``, like ``SGD``; the book's ``Epoch j: ... / 10000``
    lines are printed below the plot.  The cell runs until training ends (the
    kernel's interrupt button stops it early).
    """
    from IPython.display import display

    eta = check_eta(eta)  # before the label is written with it
    live = LiveCurve(epochs, label or f"{net.sizes}, η = {eta:g}")
    display(live.widget)
    return net.SGD(training_data, epochs, mini_batch_size, eta, test_data=test_data, callback=live.update)


# ----- the MNIST learning-rate explorer (notebook 07) -------------------------------------------

class LearningRateExplorer:
    """Train on MNIST at a chosen η, hidden layer size and mini-batch size, and compare runs.

    Runs are compared on the validation data: choosing η by the test data
    would tune it to the test set (notebook 06).  The η's offered are the
    sweep's, ``DEFAULT_ETAS``, so 0.001, 3 and 100 are among them exactly.

    The logic, without widgets: ``train(eta, hidden, mini_batch_size)``
    returns a run's validation accuracy per epoch, from the cache when that setting
    was tried before; ``stop()`` ends a running training after its current
    epoch; ``figure(current)`` draws every run, the current one bold and the
    others faded.

    ``widget()`` wraps it in controls and a live plot.  A notebook cell that
    trained directly would block the kernel, and the Stop button's click would
    wait until training ended; so the Train button starts the training in a
    background thread (``self.thread``), the kernel stays free to receive the
    click, and SGD's callback returns False once Stop is pressed.
    """

    def __init__(self, training_data, validation_data, epochs=5, seed=0):
        self.training_data, self.validation_data = training_data, validation_data
        self.epochs, self.seed = epochs, seed
        self.runs = {}  # (eta, hidden, mini_batch_size) -> test accuracy per epoch
        self.thread = None
        self.ui = None
        self._lock = threading.Lock()  # the training thread writes self.runs while the kernel's thread draws it
        self._stop = threading.Event()

    @staticmethod
    def key(eta, hidden, mini_batch_size):
        """A setting as a cache key; η is rounded to 3 significant digits."""
        return float(f"{eta:.3g}"), check_count("hidden", hidden, 1), check_count("mini_batch_size", mini_batch_size, 1)

    @staticmethod
    def label(key):
        eta, hidden, mini_batch_size = key
        return f"η = {eta:g}, {hidden} hidden, mini-batch {mini_batch_size}"

    def train(self, eta, hidden, mini_batch_size, on_epoch=None):
        """The accuracy per epoch at this setting: from the cache, or trained now (``stop()`` ends it early).

        ``on_epoch(key, accuracy)`` is called after every epoch.  A stopped run
        is returned but not cached: training that setting again runs it in full.
        """
        key = self.key(eta, hidden, mini_batch_size)
        with self._lock:
            if key in self.runs:
                return self.runs[key]
            self.runs[key] = accuracy = []

        def after_epoch(epoch, history):
            with self._lock:
                accuracy[:] = history.test_accuracy
            if on_epoch is not None:
                on_epoch(key, list(accuracy))
            return not self._stop.is_set()  # False ends SGD

        n_in, n_out = len(self.training_data[0][0]), len(self.training_data[0][1])  # 784 pixels, 10 digits
        try:
            Network([n_in, key[1], n_out], seed=self.seed, dtype=np.float32).SGD(
                self.training_data, self.epochs, key[2], key[0], test_data=self.validation_data, quiet=True,
                callback=after_epoch)
        finally:
            self._stop.clear()
            if len(accuracy) < self.epochs:
                with self._lock:
                    del self.runs[key]
        return accuracy

    def stop(self):
        """Ask the running training (or, if none is running, the next one) to end after its current epoch."""
        self._stop.set()

    def figure(self, current=None, current_accuracy=None):
        """Every cached run, faded, and ``current`` (a key) bold, with ``current_accuracy`` if it is not cached.

        Runs are drawn in the order they were first trained, so each keeps its colour.
        """
        with self._lock:
            runs = {self.label(k): list(v) for k, v in self.runs.items()}
            if current is not None and current_accuracy is not None:
                runs[self.label(current)] = list(current_accuracy)
        fig = Figure(figsize=(7, 4))
        ax = fig.subplots()
        faded = [label for label in runs if current is None or label != self.label(current)]
        plots.plot_accuracy(runs, ax, faded=faded, data="validation")
        ax.set_xlim(-0.5, self.epochs - 0.5)
        ax.set_title(f"{len(self.training_data):,} training images, {len(self.validation_data):,} validation images, "
                     f"{self.epochs} epochs", fontsize=10)
        fig.tight_layout()
        return fig

    def widget(self):
        """The controls, the Train and Stop buttons, a progress bar, a status line and the plot."""
        import ipywidgets as widgets

        ui = self.ui = SimpleNamespace(
            eta=widgets.SelectionSlider(options=[(f"{eta:g}", eta) for eta in DEFAULT_ETAS], value=3.0,
                                        description="η", continuous_update=False),
            hidden=widgets.Dropdown(options=[10, 30, 100], value=30, description="hidden"),
            batch=widgets.Dropdown(options=[1, 10, 20, 100], value=10, description="mini-batch"),
            train=widgets.Button(description="Train", button_style="primary", icon="play"),
            stop=widgets.Button(description="Stop", button_style="danger", icon="stop", disabled=True),
            progress=widgets.IntProgress(min=0, max=self.epochs, description="epochs"),
            status=widgets.HTML("Pick a setting and press Train."),  # (unlike a Label, it wraps in a narrow window)
            image=widgets.Image(format="png", value=figure_png(self.figure()), layout=_natural_size_layout()))

        def setting():
            return self.key(ui.eta.value, ui.hidden.value, ui.batch.value)

        def say(text):
            ui.status.value = html.escape(text, quote=False)

        def show(key, accuracy, note=""):
            ui.image.value = figure_png(self.figure(key, accuracy))
            ui.progress.value = len(accuracy)
            if accuracy:  # epochs numbered from 0, as in SGD's transcript and the plot
                say(f"{self.label(key)}: validation accuracy {accuracy[-1]:.2%} after epoch {len(accuracy) - 1}{note}")
            else:
                say(f"{self.label(key)}{note}")

        def on_setting_changed(_):
            if self.thread is not None and self.thread.is_alive():
                return  # the running training owns the plot until it ends
            key = setting()
            with self._lock:
                cached = self.runs.get(key)
            if cached is not None:
                show(key, cached, " (tried before)")
            else:
                ui.image.value = figure_png(self.figure())
                ui.progress.value = 0
                say(f"{self.label(key)}: not tried yet, press Train")

        def run_training(key):
            try:
                accuracy = self.train(*key, on_epoch=show)
                show(key, accuracy, "" if len(accuracy) == self.epochs else " (stopped)")
            except Exception as error:  # shown in the status line: a thread has nowhere else to report
                say(f"{self.label(key)}: training failed: {error}")
            finally:
                ui.train.disabled, ui.stop.disabled = False, True

        def on_train(_):
            if self.thread is not None and self.thread.is_alive():
                return
            key = setting()
            with self._lock:
                cached = self.runs.get(key)
            if cached is not None:
                show(key, cached, " (tried before)")
                return
            ui.train.disabled, ui.stop.disabled = True, False
            ui.progress.value = 0
            say(f"{self.label(key)}: training ...")
            self._stop.clear()  # before the Stop button can be pressed
            self.thread = threading.Thread(target=run_training, args=(key,), daemon=True)
            self.thread.start()

        ui.status.add_class("nndl-explorer-status")  # names for the browser test to find them by
        ui.image.add_class("nndl-explorer-plot")
        for control in (ui.eta, ui.hidden, ui.batch):
            control.observe(on_setting_changed, names="value")
        ui.train.on_click(on_train)
        ui.stop.on_click(lambda _: self.stop())
        return widgets.VBox([_row([ui.eta, ui.hidden, ui.batch]), _row([ui.train, ui.stop, ui.progress]),
                             ui.status, ui.image])


def learning_rate_explorer(training_data, validation_data, epochs=5, seed=0):
    """The MNIST learning-rate explorer widget (see ``LearningRateExplorer``); without a front end it trains nothing."""
    if _without_front_end(lambda: None):
        return None
    return LearningRateExplorer(training_data, validation_data, epochs, seed).widget()
