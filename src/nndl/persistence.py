"""Saving and loading trained networks as .npz files, written atomically.

Used by ``Network.save`` / ``Network.load`` and the command line (``--save``,
``python -m nndl evaluate FILE``).  A file holds a format version, the layer
sizes, the dtype, and one array per weight matrix and bias vector.
"""
import contextlib
import json
import math
import os
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .messages import describe


def writable_path(path, example="net.npz"):
    """The file that saving to ``path`` will write, checked now, before any time is spent training.

    ``~`` is expanded, and a symlink leads to its target, which is the file
    written (as editors do).  A missing folder, a folder given as the file,
    something that is not a regular file (a pipe, a device such as
    /dev/null), or a folder that refuses new files raises an ``OSError``
    that says so (for a folder, with ``example`` as a file name in it).
    """
    given = Path(path).expanduser()
    target = Path(os.path.realpath(given))
    if target.is_dir():
        raise IsADirectoryError(f"cannot save to {given}: it is a folder; give a file name, such as "
                                f"{given / example}")
    if target.exists() and not target.is_file():
        raise FileExistsError(f"cannot save to {given}: it is not a regular file (a pipe, a device or a "
                              f"socket), and saving would replace it; give the name of a file")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot write {given}: the folder {target.parent} does not exist")
    try:
        fd, probe = _temporary_file(target.parent)
    except OSError as e:
        raise PermissionError(f"cannot write {given}: the folder {target.parent} does not accept new files "
                              f"({e.strerror}); choose another folder") from None
    os.close(fd)
    os.unlink(probe)
    return target


def _temporary_file(folder):
    """A new hidden file in ``folder``, ``(fd, path)``; its short name fits wherever the file's own name fits."""
    return tempfile.mkstemp(dir=folder, prefix=".nndl-", suffix=".tmp")


def read_json(path, problem):
    """The JSON in the file ``path``; a file that is not JSON raises ValueError, ``problem`` and then why."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{problem}: {e}") from None


def holds_saved_json(path, load, max_bytes):
    """True if ``load(path)`` reads ``path``: ``--save`` asks this of a JSON file it would replace.

    A file that cannot be one is turned down unread: one over ``max_bytes``,
    or not starting with the ``{`` of a JSON object.
    """
    try:
        if os.path.getsize(path) > max_bytes:
            return False
        with open(path, "rb") as f:
            if f.read(1) != b"{":
                return False
        load(path)
    except (ValueError, OSError):
        return False
    return True


@contextlib.contextmanager
def atomic_write(path):
    """Open a temporary file beside ``path`` for binary writing; it replaces ``path`` only on success.

    A crash or an exception halfway (Ctrl-C included) leaves the old file
    (if any) untouched and removes the temporary file.  Replacing a file
    keeps its permissions, and a symlink stays a symlink: the file it points
    to is the one replaced.
    """
    target = writable_path(path)
    if target.exists():
        mode = stat.S_IMODE(target.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # mkstemp makes the file private; give it the usual permissions
    fd, tmp = _temporary_file(target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):  # an interruption right after os.replace: nothing to remove
            os.unlink(tmp)
        raise


RESCUED_NAME_BYTES = 100
"""How much of the original file name a fallback file's name keeps (its end): the whole stays far within the
255 bytes a file name may have."""


def write_with_fallback(write, path):
    """Call ``write(path)``; if that fails with an ``OSError`` (a full disk), write a new file elsewhere.

    Returns ``(written, error)``: the path written, and the error that made
    the fallback necessary (None if ``path`` itself was written).  The
    fallback is a new file in the home folder or else the temporary folder,
    so that the result of a long run is not lost at its very end; its name,
    ``nndl-rescued-XXXXXXXX-NAME``, ends with (at most 100 bytes of) the
    original name.  If no fallback can be written either, the ``OSError``
    raised says why neither was.
    """
    try:
        write(path)
        return Path(path).expanduser(), None
    except OSError as error:
        name = os.fsencode(Path(path).name)[-RESCUED_NAME_BYTES:].decode(errors="ignore")  # drops a cut character
        folders = (Path.home(), Path(tempfile.gettempdir()))
        for folder in folders:
            try:
                fd, fallback = tempfile.mkstemp(dir=folder, prefix="nndl-rescued-", suffix=f"-{name}")
            except OSError as e:
                fallback_error = e
                continue
            os.close(fd)
            try:
                write(fallback)
                return Path(fallback), error
            except OSError as e:
                fallback_error = e
                os.unlink(fallback)
        raise OSError(f"could not write {path} ({describe(error)}), nor a new file in {folders[0]} or "
                      f"{folders[1]} ({describe(fallback_error)})") from error


def write_network_arrays(path, version, sizes, dtype, weights, biases, cost=None, activation="sigmoid"):
    """Write a network's arrays to ``path`` (.npz) atomically.

    ``cost`` is the name of chapter 3's cost, if any; ``activation`` the name
    of the hidden neurons' function, written only if it is not "sigmoid" (so
    a sigmoid network's file is the same as before there were others).
    """
    arrays = {"format_version": np.array(version), "sizes": np.array(sizes),
              "dtype": np.array(np.dtype(dtype).name)}
    if cost is not None:
        arrays["cost"] = np.array(cost)
    if activation != "sigmoid":
        arrays["activation"] = np.array(activation)
    arrays.update({f"weights_{i}": w for i, w in enumerate(weights)})
    arrays.update({f"biases_{i}": b for i, b in enumerate(biases)})
    with atomic_write(path) as f:
        np.savez(f, **arrays)


def is_saved_network(path):
    """True if ``path`` is a zip archive with the fields every saved network has; nothing is inflated."""
    try:
        with zipfile.ZipFile(path) as archive:
            return {"format_version.npy", "sizes.npy", "dtype.npy"} <= set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def read_network_arrays(path, version):
    """Return ``(sizes, dtype, weights, biases, cost, activation)`` from a file written by ``write_network_arrays``.

    ``cost`` is the cost's name, or None for a network of chapter 1 (no cost
    saved); ``activation`` the hidden neurons' ("sigmoid" if none is saved).

    Raises FileNotFoundError for a missing file, IsADirectoryError for a
    folder, and ValueError, naming the file and the problem, for anything
    that is not a saved network of this format version, down to the type
    and shape of each field and the finiteness of every weight and bias.
    A pipe or a device is refused before it is opened (reading it could
    wait forever), and no array is inflated before its header has shown
    the shape the layer sizes need: a small file cannot fill the memory.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no saved network at {path}: save one with net.save({str(path)!r}) "
                                f"or `python -m nndl train --save {path}`")
    saved_how = "networks are saved as .npz files by net.save or `python -m nndl train --save`"
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a saved network: {saved_how}")
    if not path.is_file():
        raise ValueError(f"{path} is not a regular file (a pipe, a device or a socket), not a saved network: "
                         f"{saved_how}")
    with open(path, "rb") as f:  # an unreadable file raises PermissionError here, with its own message
        starts_like_a_zip = f.read(4) == b"PK\x03\x04"
    if not zipfile.is_zipfile(path):
        if starts_like_a_zip:
            raise ValueError(f"{path} is not a saved network (.npz) or is corrupt: it is a damaged zip archive")
        raise ValueError(f"{path} is not a saved network: {saved_how}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            return _read_network(path, npz, version)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, KeyError) as e:
        raise ValueError(f"{path} is not a saved network (.npz) or is corrupt: {e}") from None


def _read_network(path, npz, version):
    """``read_network_arrays`` for the open .npz file ``npz``: each field checked, then inflated."""
    missing = {"format_version", "sizes", "dtype"} - set(npz.files)
    if missing:
        raise ValueError(f"{path} is not a saved nndl network: it lacks {sorted(missing)}")
    found = int(_small_field(path, npz, "format_version", "iu", ndim=0))
    if found != version:
        raise ValueError(f"{path} has format version {found}, but this "
                         f"version of nndl reads version {version}: save the network again")
    sizes = _small_field(path, npz, "sizes", "iu", ndim=1).tolist()
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"{path} is inconsistent: its layer sizes {sizes} are not those of a network")
    dtype = str(_small_field(path, npz, "dtype", "U", ndim=0))
    if dtype not in ("float32", "float64"):
        raise ValueError(f"{path} is inconsistent: its dtype is {dtype!r}, not float32 or float64")
    layers = range(len(sizes) - 1)
    try:
        shapes = [tuple(_header(path, npz, f"{name}_{i}", "f", ndim=2)[0] for name in ("weights", "biases"))
                  for i in layers]
    except KeyError as e:
        raise ValueError(f"{path} is incomplete: the array {e} is missing") from None
    for i, (weights_shape, biases_shape) in enumerate(shapes):
        if weights_shape != (sizes[i + 1], sizes[i]) or biases_shape != (sizes[i + 1], 1):
            raise ValueError(f"{path} is inconsistent: layer {i + 1} has weights {weights_shape} "
                             f"and biases {biases_shape}, but sizes {sizes} needs "
                             f"({sizes[i + 1]}, {sizes[i]}) and ({sizes[i + 1]}, 1)")
    weights = [_finite(path, npz, f"weights_{i}", dtype) for i in layers]
    biases = [_finite(path, npz, f"biases_{i}", dtype) for i in layers]
    cost = str(_small_field(path, npz, "cost", "U", ndim=0)) if "cost" in npz.files else None
    activation = str(_small_field(path, npz, "activation", "U", ndim=0)) if "activation" in npz.files else "sigmoid"
    return sizes, np.dtype(dtype), weights, biases, cost, activation


KINDS = {"iu": "integers", "U": "a string", "f": "floating-point numbers"}
HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
SMALL_FIELD_BYTES = 2 ** 16
"""Far more than the format version, sizes, dtype, cost or activation of any real network take."""


def _header(path, npz, key, kinds, ndim):
    """The shape of the array ``key``, read from its .npy header, which promises its shape and type.

    Nothing is inflated: the promise is checked first (``ndim`` dimensions,
    a NumPy kind among ``kinds``), and ``np.load`` then reads no more than it.
    """
    with npz.zip.open(f"{key}.npy") as member:
        try:
            shape, _, dtype = HEADER_READERS[np.lib.format.read_magic(member)](member)
        except (ValueError, KeyError):  # no .npy header, or one of a version that np.savez does not write
            raise ValueError(f"{path} is not a saved network (.npz) or is corrupt: its array {key!r} has no "
                             f"valid .npy header") from None
    if dtype.kind not in kinds or len(shape) != ndim:
        raise ValueError(f"{path} is inconsistent: its field {key!r} should hold {KINDS[kinds]} in {ndim} "
                         f"dimension(s), but holds {dtype} of shape {shape}")
    return shape, dtype


def _small_field(path, npz, key, kinds, ndim):
    """The field ``key`` (version, sizes, dtype or cost), inflated only if its header promises a small array."""
    shape, dtype = _header(path, npz, key, kinds, ndim)
    if math.prod(shape) * dtype.itemsize > SMALL_FIELD_BYTES:
        raise ValueError(f"{path} is inconsistent: its field {key!r} holds {dtype} of shape {shape}, far more "
                         f"than a network's {key} needs")
    return _inflate(path, npz, key)


def _finite(path, npz, key, dtype):
    """The array ``key`` as ``dtype``; NaN, infinity or a number too large for ``dtype`` is refused by name."""
    with np.errstate(over="ignore"):  # a float64 number above float32's range becomes inf, reported below
        array = _inflate(path, npz, key).astype(dtype)
    if not np.isfinite(array).all():
        raise ValueError(f"{path} is not a usable network: its array {key!r} holds NaN or infinite numbers (or "
                         f"numbers too large for {dtype}), as when training diverged; save a network that trained "
                         f"with a smaller eta")
    return array


def _inflate(path, npz, key):
    """``npz[key]``, read in full after ``_header`` has checked it; a truncated array is reported as corrupt."""
    try:
        return npz[key]
    except ValueError as e:
        raise ValueError(f"{path} is corrupt: its array {key!r} cannot be read ({e})") from None
