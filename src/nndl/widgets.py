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
