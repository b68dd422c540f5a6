"""Saving and loading trained networks as .npz files, written atomically.

Used by ``Network.save`` / ``Network.load`` and the command line (``--save``,
``python -m nndl evaluate FILE``).  A file holds a format version, the layer
sizes, the dtype, and one array per weight matrix and bias vector.
"""
import contextlib
import os
import stat
import tempfile
import zipfile
from pathlib import Path

import numpy as np


def writable_path(path):
    """The file that saving to ``path`` will write, checked now, before any time is spent training.

    ``~`` is expanded, and a symlink leads to its target, which is the file
    written (as editors do).  A missing folder, a folder given as the file,
    or a folder that refuses new files raises an ``OSError`` that says so.
    """
    given = Path(path).expanduser()
    target = Path(os.path.realpath(given))
    if target.is_dir():
        raise IsADirectoryError(f"cannot save to {given}: it is a folder; give a file name, such as "
                                f"{given / 'net.npz'}")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot write {given}: the folder {target.parent} does not exist")
    try:
        fd, probe = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise PermissionError(f"cannot write {given}: the folder {target.parent} does not accept new files "
                              f"({e.strerror}); choose another folder") from None
    os.close(fd)
    os.unlink(probe)
    return target


@contextlib.contextmanager
def atomic_write(path):
    """Open a temporary file beside ``path`` for binary writing; it replaces ``path`` only on success.

    A crash or an exception halfway leaves the old file (if any) untouched.
    Replacing a file keeps its permissions, and a symlink stays a symlink:
    the file it points to is the one replaced.
    """
    target = writable_path(path)
    if target.exists():
        mode = stat.S_IMODE(target.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # mkstemp makes the file private; give it the usual permissions
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def write_with_fallback(write, path):
    """Call ``write(path)``; if that fails with an ``OSError`` (a full disk), write a new file elsewhere.

    Returns ``(written, error)``: the path written, and the error that made
    the fallback necessary (None if ``path`` itself was written).  The
    fallback is a new file in the home folder or else the temporary folder,
    so that the result of a long run is not lost at its very end.
    """
    try:
        write(path)
        return Path(path).expanduser(), None
    except OSError as error:
        for folder in (Path.home(), Path(tempfile.gettempdir())):
            try:
                fd, fallback = tempfile.mkstemp(dir=folder, prefix="nndl-rescued-", suffix=f"-{Path(path).name}")
            except OSError:
                continue
            os.close(fd)
            try:
                write(fallback)
                return Path(fallback), error
            except OSError:
                os.unlink(fallback)
        raise


def write_network_arrays(path, version, sizes, dtype, weights, biases, cost=None):
    """Write a network's arrays to ``path`` (.npz) atomically; ``cost`` is the name of chapter 3's cost, if any."""
    arrays = {"format_version": np.array(version), "sizes": np.array(sizes),
              "dtype": np.array(np.dtype(dtype).name)}
    if cost is not None:
        arrays["cost"] = np.array(cost)
    arrays.update({f"weights_{i}": w for i, w in enumerate(weights)})
    arrays.update({f"biases_{i}": b for i, b in enumerate(biases)})
    with atomic_write(path) as f:
        np.savez(f, **arrays)


def read_network_arrays(path, version):
    """Return ``(sizes, dtype, weights, biases, cost)`` from a file written by ``write_network_arrays``.

    ``cost`` is the cost's name, or None for a network of chapter 1 (no cost saved).

    Raises FileNotFoundError for a missing file, IsADirectoryError for a
    folder, and ValueError, naming the file and the problem, for anything
    that is not a saved network of this format version, down to the type
    and shape of each field.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no saved network at {path}: save one with net.save({str(path)!r}) "
                                f"or `python -m nndl train --save {path}`")
    saved_how = "networks are saved as .npz files by net.save or `python -m nndl train --save`"
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a saved network: {saved_how}")
    with open(path, "rb") as f:  # an unreadable file raises PermissionError here, with its own message
        starts_like_a_zip = f.read(4) == b"PK\x03\x04"
    if not zipfile.is_zipfile(path):
        if starts_like_a_zip:
            raise ValueError(f"{path} is not a saved network (.npz) or is corrupt: it is a damaged zip archive")
        raise ValueError(f"{path} is not a saved network: {saved_how}")
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {key: f[key] for key in f.files}
    except ValueError:  # an array of Python objects
        raise ValueError(f"{path} is not a saved network: it holds arrays that are not numbers; "
                         f"{saved_how}") from None
    except (OSError, zipfile.BadZipFile, EOFError, KeyError) as e:
        raise ValueError(f"{path} is not a saved network (.npz) or is corrupt: {e}") from None
    missing = {"format_version", "sizes", "dtype"} - set(arrays)
    if missing:
        raise ValueError(f"{path} is not a saved nndl network: it lacks {sorted(missing)}")
    found = int(_field(path, arrays, "format_version", "iu", ndim=0))
    if found != version:
        raise ValueError(f"{path} has format version {found}, but this "
                         f"version of nndl reads version {version}: save the network again")
    sizes = _field(path, arrays, "sizes", "iu", ndim=1).tolist()
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"{path} is inconsistent: its layer sizes {sizes} are not those of a network")
    dtype = str(_field(path, arrays, "dtype", "U", ndim=0))
    if dtype not in ("float32", "float64"):
        raise ValueError(f"{path} is inconsistent: its dtype is {dtype!r}, not float32 or float64")
    layers = range(len(sizes) - 1)
    try:
        weights = [_field(path, arrays, f"weights_{i}", "f", ndim=2).astype(dtype) for i in layers]
        biases = [_field(path, arrays, f"biases_{i}", "f", ndim=2).astype(dtype) for i in layers]
    except KeyError as e:
        raise ValueError(f"{path} is incomplete: the array {e} is missing") from None
    for i in layers:
        if weights[i].shape != (sizes[i + 1], sizes[i]) or biases[i].shape != (sizes[i + 1], 1):
            raise ValueError(f"{path} is inconsistent: layer {i + 1} has weights {weights[i].shape} "
                             f"and biases {biases[i].shape}, but sizes {sizes} needs "
                             f"({sizes[i + 1]}, {sizes[i]}) and ({sizes[i + 1]}, 1)")
    cost = str(_field(path, arrays, "cost", "U", ndim=0)) if "cost" in arrays else None
    return sizes, np.dtype(dtype), weights, biases, cost


KINDS = {"iu": "integers", "U": "a string", "f": "floating-point numbers"}


def _field(path, arrays, key, kinds, ndim):
    """``arrays[key]``, checked to have ``ndim`` dimensions and a NumPy kind among ``kinds``."""
    array = arrays[key]
    if array.dtype.kind not in kinds or array.ndim != ndim:
        raise ValueError(f"{path} is inconsistent: its field {key!r} should hold {KINDS[kinds]} in {ndim} "
                         f"dimension(s), but holds {array.dtype} of shape {array.shape}")
    return array
