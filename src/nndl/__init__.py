"""nndl: the shared package of the course *Neural Networks and Deep Learning*, from scratch in NumPy.

Each chapter notebook imports what it needs from here; nothing is copied
into the notebooks.  Modules: ``functions`` (step, sigmoid, softmax, cost),
``network`` (the ``Network`` class), ``costs`` and ``network2`` (chapter 3's
costs, and the book's ``network2`` names), ``mnist`` (the data), ``baselines``
(average darkness), ``plots`` and ``widgets`` (pictures and interactive
tools), ``checks`` (exercise checks).
"""
__all__ = ["Network", "History"]
__version__ = "0.1.0"


def __getattr__(name):
    """``Network`` and ``History``, imported on first use, so that ``python -m nndl`` can answer Ctrl-C at once."""
    if name in __all__:
        from . import network
        return getattr(network, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
