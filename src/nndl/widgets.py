"""Interactive tools for the notebooks, built on ipywidgets with inline matplotlib figures.

* ``gradient_descent_explorer()`` (notebooks 03 and 06): η, start and steps
  sliders over a cost valley; the path and the cost per step redraw.
* ``learning_rate_explorer(training_data, test_data)`` (notebook 06): train
  on MNIST at the η, hidden layer and mini-batch size you pick, with a live
  accuracy plot, earlier runs kept faded, a Stop button, and a cache of runs.
* ``train_live(net, ...)`` (notebooks 05 and 06): ``Network.SGD`` with a
  progress bar and an accuracy curve redrawn after every epoch.

The drawing functions (``draw_descent``, ``draw_runs``) are plain functions
returning figures, so they are tested without a browser; ipywidgets is
imported only when a widget is built.
"""
import matplotlib.pyplot as plt
import numpy as np

from . import descent, plots

SURFACES = {s.name: s for s in (descent.VALLEY, descent.ELONGATED_VALLEY)}


def draw_descent(surface_name="elongated valley", eta=0.1, v1=1.2, v2=1.0, steps=20):
    """The figure the explorer shows: the path on the contour plot, the cost per step beside it.

    Returns ``(figure, path, regime)`` where ``regime`` names what η does on this surface
    ("too small", "converges", "oscillates", "diverges").
    """
    surface = SURFACES[surface_name]
    path = descent.gradient_descent(surface, (v1, v2), eta, steps)
    regime = descent.regime(surface, eta)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    plots.plot_descent(surface, path, left)
    plots.plot_cost_per_step(surface, path, right)
    critical = 2 / surface.largest_curvature
    fig.suptitle(f"η = {eta:.4g}: {regime}   (on this surface η < {critical:.3g} converges, η > {critical:.3g} diverges)")
    fig.tight_layout()
    return fig, path, regime


def gradient_descent_explorer(surface_name="elongated valley"):
    """Sliders for η (logarithmic), the start point and the number of steps, redrawing ``draw_descent``."""
    import ipywidgets as widgets

    def show(surface_name, eta, v1, v2, steps):
        fig, _, _ = draw_descent(surface_name, eta, v1, v2, steps)
        plt.show(fig)

    return widgets.interactive(
        show,
        surface_name=widgets.Dropdown(options=list(SURFACES), value=surface_name, description="surface"),
        eta=widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0.5, step=0.05, description="η",
                                   readout_format=".4g", continuous_update=False),
        v1=widgets.FloatSlider(value=1.2, min=-1.5, max=1.5, step=0.1, description="start v1"),
        v2=widgets.FloatSlider(value=1.0, min=-1.5, max=1.5, step=0.1, description="start v2"),
        steps=widgets.IntSlider(value=20, min=1, max=100, description="steps"),
    )


def figure_png(fig):
    """A figure as PNG bytes, for an ``ipywidgets.Image`` that can be updated from any thread; closes the figure."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def train_live(net, training_data, epochs, mini_batch_size, eta, test_data=None, label=None):
    """``net.SGD`` with a progress bar per epoch and the accuracy curve redrawn after every epoch; returns the History.

    Outside a notebook (no display) it trains and prints the book's transcript as usual.
    """
    import ipywidgets as widgets
    from IPython.display import display

    label = label or f"{net.sizes}, η = {eta:g}"
    image = widgets.Image(format="png")
    display(image)

    def redraw(epoch, history):
        if history.test_correct:
            fig, ax = plt.subplots(figsize=(6, 3.5))
            plots.plot_accuracy({label: history}, ax)
            image.value = figure_png(fig)

    return net.SGD(training_data, epochs, mini_batch_size, eta, test_data=test_data, progress=True,
                   callback=redraw)


def sweep_explorer(sweep):
    """The sweep's accuracy against η, and, on demand, the training-cost curve of the η's you tick."""
    import ipywidgets as widgets

    def show(chosen):
        fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4))
        plots.plot_sweep(sweep, left)
        plots.plot_cost_curves(sweep, chosen, right)
        plt.show(fig)

    etas = [run["eta"] for run in sweep["runs"]]
    picker = widgets.SelectMultiple(options=[(f"η = {e:g}", e) for e in etas], value=etas[5:8],
                                    description="cost of", rows=6)
    return widgets.interactive(show, chosen=picker)


class LearningRateExplorer:
    """Train on MNIST at a chosen η, hidden layer size and mini-batch size, and compare runs.

    The logic, without widgets: ``train(eta, hidden, mini_batch_size)``
    returns a run's accuracy per epoch, from the cache when that setting was
    tried before; ``stop()`` ends a running training after its current epoch;
    ``figure(current)`` draws every run, the current one bold, the others faded.
    ``widget()`` wraps it in sliders, buttons and a live plot, training in a
    background thread so that the Stop button works while it trains.
    """

    def __init__(self, training_data, test_data, epochs=5, seed=0):
        self.training_data, self.test_data = training_data, test_data
        self.epochs, self.seed = epochs, seed
        self.runs = {}  # (eta, hidden, mini_batch_size) -> accuracy per epoch
        self._stop_requested = False

    @staticmethod
    def label(key):
        eta, hidden, mini_batch_size = key
        return f"η = {eta:.3g}, {hidden} hidden, mini-batch {mini_batch_size}"

    def train(self, eta, hidden, mini_batch_size, on_epoch=None):
        """The accuracy per epoch for this setting: cached, or trained now (stoppable with ``stop()``)."""
        key = (float(eta), int(hidden), int(mini_batch_size))
        if key in self.runs:
            return self.runs[key]
        self._stop_requested = False
        accuracy = self.runs[key] = []

        def after_epoch(epoch, history):
            accuracy[:] = history.test_accuracy
            if on_epoch is not None:
                on_epoch(key, epoch)
            return not self._stop_requested

        from .network import Network
        Network([784, key[1], 10], seed=self.seed, dtype=np.float32).SGD(
            self.training_data, self.epochs, key[2], key[0], test_data=self.test_data, quiet=True,
            callback=after_epoch)
        if len(accuracy) < self.epochs:
            del self.runs[key]  # a stopped run is shown, but not kept as the result of this setting
        return accuracy

    def stop(self):
        self._stop_requested = True

    def figure(self, current=None, current_accuracy=None):
        runs = {self.label(k): v for k, v in self.runs.items() if k != current}
        if current is not None:
            runs[self.label(current)] = current_accuracy if current_accuracy is not None else self.runs.get(current, [])
        fig, ax = plt.subplots(figsize=(7, 4))
        plots.plot_accuracy(runs, ax, faded=[label for label in runs if current is None or label != self.label(current)])
        ax.set_xlim(0.5, self.epochs + 0.5)
        return fig

    def widget(self):
        import threading

        import ipywidgets as widgets

        eta = widgets.FloatLogSlider(value=3.0, base=10, min=-3, max=2, step=0.25, description="η",
                                     readout_format=".3g")
        hidden = widgets.Dropdown(options=[10, 30, 100], value=30, description="hidden")
        batch = widgets.Dropdown(options=[1, 10, 20, 100], value=10, description="mini-batch")
        train_button = widgets.Button(description="Train", button_style="primary", icon="play")
        stop_button = widgets.Button(description="Stop", button_style="danger", icon="stop", disabled=True)
        progress = widgets.IntProgress(min=0, max=self.epochs, description="epochs")
        status = widgets.Label()
        image = widgets.Image(format="png", value=figure_png(self.figure()))

        def show(key, accuracy):
            image.value = figure_png(self.figure(key, accuracy))
            progress.value = len(accuracy)
            if accuracy:
                status.value = f"{self.label(key)}: {accuracy[-1]:.2%} after epoch {len(accuracy)}"

        def run_training(key):
            accuracy = self.train(*key, on_epoch=lambda k, epoch: show(k, self.runs.get(k, [])))
            show(key, accuracy)
            if len(accuracy) < self.epochs:
                status.value += " (stopped)"
            train_button.disabled, stop_button.disabled = False, True

        def on_train(_):
            key = (float(eta.value), hidden.value, batch.value)
            if key in self.runs:
                show(key, self.runs[key])
                status.value += " (from earlier)"
                return
            train_button.disabled, stop_button.disabled = True, False
            progress.value = 0
            status.value = f"training {self.label(key)} ..."
            threading.Thread(target=run_training, args=(key,), daemon=True).start()

        train_button.on_click(on_train)
        stop_button.on_click(lambda _: self.stop())
        controls = widgets.HBox([eta, hidden, batch])
        return widgets.VBox([controls, widgets.HBox([train_button, stop_button, progress]), status, image])


def learning_rate_explorer(training_data, test_data, epochs=5, seed=0):
    """The MNIST learning-rate explorer widget (see ``LearningRateExplorer``)."""
    return LearningRateExplorer(training_data, test_data, epochs, seed).widget()
