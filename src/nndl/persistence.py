"""Saving and loading trained networks as .npz files, written atomically.

Used by ``Network.save`` / ``Network.load`` and the command line (``--save``,
``python -m nndl evaluate FILE``).  A file holds a format version, the layer
sizes, the dtype, and one array per weight matrix and bias vector.
"""
import contextlib
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np


@contextlib.contextmanager
def atomic_write(path):
    """Open a temporary file beside ``path`` for binary writing; it replaces ``path`` only on success.

    A crash or an exception halfway leaves the old file (if any) untouched.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: the folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; give it the usual permissions
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_network_arrays(path, version, sizes, dtype, weights, biases):
    """Write a network's arrays to ``path`` (.npz) atomically."""
    arrays = {"format_version": np.array(version), "sizes": np.array(sizes),
              "dtype": np.array(np.dtype(dtype).name)}
    arrays.update({f"weights_{i}": w for i, w in enumerate(weights)})
    arrays.update({f"biases_{i}": b for i, b in enumerate(biases)})
    with atomic_write(path) as f:
        np.savez(f, **arrays)


def read_network_arrays(path, version):
    """Return ``(sizes, dtype, weights, biases)`` from a file written by ``write_network_arrays``.

    Raises FileNotFoundError for a missing file and ValueError, naming the
    file and the problem, for anything that is not a saved network of this
    format version.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no saved network at {path}: save one with net.save({str(path)!r}) "
                                f"or `python -m nndl train --save {path}`")
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {key: f[key] for key in f.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise ValueError(f"{path} is not a saved network (.npz) or is corrupt: {e}") from None
    missing = {"format_version", "sizes", "dtype"} - set(arrays)
    if missing:
        raise ValueError(f"{path} is not a saved nndl network: it lacks {sorted(missing)}")
    if int(arrays["format_version"]) != version:
        raise ValueError(f"{path} has format version {int(arrays['format_version'])}, but this "
                         f"version of nndl reads version {version}: save the network again")
    sizes = [int(s) for s in arrays["sizes"]]
    dtype = np.dtype(str(arrays["dtype"]))
    layers = range(len(sizes) - 1)
    try:
        weights = [arrays[f"weights_{i}"].astype(dtype) for i in layers]
        biases = [arrays[f"biases_{i}"].astype(dtype) for i in layers]
    except KeyError as e:
        raise ValueError(f"{path} is incomplete: the array {e} is missing") from None
    for i in layers:
        if weights[i].shape != (sizes[i + 1], sizes[i]) or biases[i].shape != (sizes[i + 1], 1):
            raise ValueError(f"{path} is inconsistent: layer {i + 1} has weights {weights[i].shape} "
                             f"and biases {biases[i].shape}, but sizes {sizes} needs "
                             f"({sizes[i + 1]}, {sizes[i]}) and ({sizes[i + 1]}, 1)")
    return sizes, dtype, weights, biases
