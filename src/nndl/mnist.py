"""Loading MNIST (and any data set in its IDX format), introduced in notebook 06.

The book's chapter 1 session runs unchanged::

    >>> from nndl import mnist
    >>> training_data, validation_data, test_data = mnist.load_data()

``load_data`` returns the formats of the book's ``load_data_wrapper`` (also
available under that name): lists of ``(x, y)`` pairs, ``x`` a (784, 1) column
of floats in [0, 1], ``y`` a (10, 1) one-hot column for training and the digit
as an int for validation and test.  The 60,000 original training images are
split into 50,000 for training and the last 10,000 for validation.

``load_arrays`` gives the same data as whole arrays, an image per row, for
speed and plotting; the lists above are built on it, each ``x`` a view into
one shared, read-only array rather than a copy.  The lists also keep those
arrays (``Pairs.as_rows()``), so that ``Network.SGD`` trains on them directly
instead of stacking 50,000 pairs back into an array.

``path`` loads another data set in the same four-file format, for example
Fashion-MNIST from Debian's ``dataset-fashion-mnist`` package::

    >>> mnist.load_data("/usr/share/datasets/fashion-mnist")

The IDX format (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number
(two zero bytes, a type code, the number of dimensions), then each dimension
as a big-endian 32-bit integer, then the data.  Images have magic number 2051
and dimensions (count, 28, 28); labels have 2049 and dimension (count,).
"""
import functools
import gzip
import hashlib
import io
import math
import operator
import os
import stat
import sys
import zlib
from pathlib import Path
from numbers import Integral
from typing import NamedTuple

import numpy as np

from .messages import kind_of_file

def shipped_data():
    """The folder of the data shipped with the course: the repository's ``data/`` when the package runs from it
    (a clone, an editable install), else ``share/nndl`` under the environment, where ``pip install`` puts it."""
    repository = Path(__file__).resolve().parents[2] / "data"
    return repository if (repository / "mnist").is_dir() else Path(sys.prefix) / "share" / "nndl"


SHIPPED_DIR = shipped_data() / "mnist"
"""Where the course keeps MNIST."""

DATA_DIR = Path(os.environ.get("NNDL_DATA_DIR", SHIPPED_DIR))
"""The MNIST files loaded by default; set the environment variable NNDL_DATA_DIR to move them."""

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

SHA256 = {  # of the original, uncompressed files
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
COPY_AGAIN = "copy or download the file again"
"""The advice for a damaged data file (the shipped files get `git checkout` instead)."""


class MnistError(ValueError):
    """A data file is missing, damaged or not in the IDX format; the message says which and why."""


class Split(NamedTuple):
    """One part of the data: ``images`` (n, 784) float32 in [0, 1], ``labels`` (n,) int64."""

    images: np.ndarray
    labels: np.ndarray


class MnistArrays(NamedTuple):
    training: Split
    validation: Split
    test: Split


# ----- the book's formats ----------------------------------------------------------------------
def load_data(path=None, validation_size=10_000):
    """Return ``(training_data, validation_data, test_data)`` in the book's formats (see the module doc)."""
    arrays = load_arrays(path, validation_size)
    targets = one_hot(arrays.training.labels)
    targets.flags.writeable = False
    return (
        Pairs(zip(_columns(arrays.training.images), _columns(targets)), arrays.training.images, targets),
        Pairs(zip(_columns(arrays.validation.images), arrays.validation.labels.tolist()), *arrays.validation),
        Pairs(zip(_columns(arrays.test.images), arrays.test.labels.tolist()), *arrays.test),
    )


load_data_wrapper = load_data  # the book's name


class Pairs(list):
    """A list of ``(x, y)`` pairs, as in the book, that also keeps them as two arrays of rows.

    ``as_rows()`` returns ``(inputs, outputs)``: an input per row, and a
    desired output per row or an int label per example.  Once the list is
    changed (shuffled, appended to...) it returns None, and the pairs are
    what counts.  A slice of an unchanged list is a ``Pairs`` too.
    """

    def __init__(self, pairs, inputs, outputs):
        super().__init__(pairs)
        self._rows = inputs, outputs
        self._pairs = tuple(self)  # the pairs as they were, compared by identity: about 1 ms for 50,000

    def as_rows(self):
        """``(inputs, outputs)`` if the list still holds the pairs it was made with, else None."""
        if len(self) == len(self._pairs) and all(map(operator.is_, self, self._pairs)):
            return self._rows
        return None

    def __getitem__(self, index):
        if isinstance(index, slice) and self.as_rows() is not None:
            return Pairs(super().__getitem__(index), *(rows[index] for rows in self._rows))
        return super().__getitem__(index)


def one_hot(labels, n_classes=10):
    """Rows of desired outputs: row i is all zeros except a 1.0 at ``labels[i]`` (the book's ``vectorized_result``)."""
    result = np.zeros((len(labels), n_classes))
    result[np.arange(len(labels)), labels] = 1.0
    return result


def _columns(rows):
    """Each row of ``rows`` as a column vector: views, not copies."""
    return [row.reshape(-1, 1) for row in rows]


# ----- arrays ----------------------------------------------------------------------------------
def load_arrays(path=None, validation_size=10_000):
    """Return ``MnistArrays(training, validation, test)``, each a ``Split(images, labels)``.

    The arrays are read-only and shared between calls (loading again is
    instant); copy one before changing it.  ``path`` is a folder holding the
    four IDX files, gzipped or not; by default the shipped MNIST, whose
    contents are verified against the original files' SHA-256.
    """
    folder = Path(path).expanduser() if path is not None else DATA_DIR
    if isinstance(validation_size, bool) or not isinstance(validation_size, Integral):
        raise ValueError(f"validation_size must be a whole number of images, got {validation_size!r}")
    return _load_arrays(folder.resolve(), path is None, int(validation_size))


@functools.lru_cache(maxsize=4)
def _load_arrays(folder, verify, validation_size):
    if folder.exists() and not folder.is_dir():
        raise MnistError(f"the data path {folder} is a file, not a folder: " + _fix_hint(verify, folder))
    if not folder.is_dir():
        raise MnistError(f"the data folder {folder} does not exist: " + _fix_hint(verify, folder))
    train, train_images, train_size = _read_split(folder, "train", verify)
    test, test_images, test_size = _read_split(folder, "test", verify)
    if test_size != train_size:
        raise MnistError(f"the training and test images differ in size: {train_images} holds images of "
                         f"{_by(train_size)}, {test_images} of {_by(test_size)}; a network or the baseline needs "
                         "one size for both: use the four files of one data set")
    if not 0 <= validation_size < len(train.labels):
        raise ValueError(f"validation_size must be from 0 to {len(train.labels) - 1}, since {folder} has "
                         f"{len(train.labels)} training images, got {validation_size} (on the command line: "
                         f"--validation-size)")
    cut = len(train.labels) - validation_size
    return MnistArrays(
        Split(train.images[:cut], train.labels[:cut]),
        Split(train.images[cut:], train.labels[cut:]),
        test,
    )


def _read_split(folder, part, verify):
    """``(Split, images_path, (rows, columns))``: one part of the data, the file of its images and their size."""
    images_path = _find(folder, FILES[f"{part}_images"], verify)
    labels_path = _find(folder, FILES[f"{part}_labels"], verify)
    images = read_idx(images_path, IMAGES_MAGIC, verify)  # its magic number makes it (count, rows, columns)
    labels = read_idx(labels_path, LABELS_MAGIC, verify)
    if len(images) == 0:
        raise MnistError(f"{images_path} holds no images: its header gives the shape {images.shape}")
    if len(images) != len(labels):
        raise MnistError(f"{images_path.name} has {len(images)} images but {labels_path.name} has "
                         f"{len(labels)} labels: the two files do not belong together")
    if labels.size and labels.max() > 9:
        raise MnistError(f"{labels_path} has a label {labels.max()}, but digits run from 0 to 9")
    pixels = np.multiply(images.reshape(len(images), math.prod(images.shape[1:])), 1 / 255, dtype=np.float32)
    labels = labels.astype(np.int64)
    pixels.flags.writeable = labels.flags.writeable = False
    return Split(pixels, labels), images_path, images.shape[1:]


def _find(folder, name, verify):
    """The path of ``name`` (gzipped or not) in ``folder``; ``read_idx`` then refuses it if it is not a file."""
    for candidate in (folder / f"{name}.gz", folder / name):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    raise MnistError(f"{folder} has neither {name}.gz nor {name}: " + _fix_hint(verify, folder))


def _fix_hint(verify, folder):
    if verify and folder == SHIPPED_DIR:
        return ("the course ships MNIST in data/mnist/ of its repository; restore the files with "
                "`git checkout -- data/mnist` (or set NNDL_DATA_DIR to where they are)")
    if verify:
        return (f"the environment variable NNDL_DATA_DIR points at {folder}, which must hold the original "
                "MNIST files; for another data set in MNIST's format pass its folder instead "
                "(load_data(path) or --data DIR), and unset NNDL_DATA_DIR to use the shipped MNIST")
    return f"pass the folder that holds the four IDX files ({', '.join(FILES.values())}, optionally .gz)"


# ----- the IDX format ---------------------------------------------------------------------------
def read_idx(path, expected_magic=None, verify=False):
    """Read an IDX file (gzipped or raw) into a NumPy array, checking everything the header promises.

    The header comes first and is checked before any data is read.  Then
    the size the header promises is compared with the file's: its size on
    disk, or for a gzip file the uncompressed size its last 4 bytes record
    (ISIZE, modulo 2**32), so a damaged file is refused before memory is
    set aside for what it promises.  (A gzip file made of several members,
    ``cat a.gz b.gz``, records only its last member's size: gunzip it.)
    Last, the bytes promised are read, and one more to catch extra data.

    ``expected_magic`` (2051 for images, 2049 for labels: MNIST's files of
    unsigned bytes) is checked when given.  With ``verify=True`` the
    decompressed bytes must have the SHA-256 of the original MNIST file of
    the same name.  Any problem raises ``MnistError`` naming the file.
    """
    path = Path(path)
    _check_regular_file(path)
    advice = _fix_hint(True, path.parent) if verify else COPY_AGAIN
    try:
        with open(path, "rb") as file:
            gzipped = file.read(2) == b"\x1f\x8b"
            size = file.seek(0, os.SEEK_END)
            if gzipped:
                file.seek(max(size - 4, 0))
                size = int.from_bytes(file.read(4), "little")  # ISIZE
            file.seek(0)
            with gzip.GzipFile(fileobj=file) if gzipped else file as stream:
                header, array = _read_idx(stream, path, expected_magic, advice, size, gzipped)
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise MnistError(f"{path} is a damaged gzip archive ({e}): {advice}") from None
    except OSError as e:
        raise MnistError(f"cannot read {path}: {e.strerror}") from None
    if verify:
        _verify(path, header, array)
    return array


def parse_idx(raw, name="<bytes>", expected_magic=None):
    """Parse the bytes of an IDX file; ``name`` only appears in error messages."""
    return _read_idx(io.BytesIO(raw), name, expected_magic, size=len(raw))[1]


def _check_regular_file(path):
    """Refuse a folder, a FIFO, a device or a broken link before opening it: reading a FIFO would wait forever."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        problem = f"is a link to {os.readlink(path)}, which does not exist" if path.is_symlink() else "does not exist"
        raise MnistError(f"{path} {problem}: put the IDX file there") from None
    except OSError as e:
        raise MnistError(f"cannot read {path}: {e.strerror}") from None
    if not stat.S_ISREG(mode):
        raise MnistError(f"{path} is {kind_of_file(mode)}, not a file: put the IDX file there")


def _read_idx(stream, name, expected_magic, advice=COPY_AGAIN, size=None, gzipped=False):
    """``(header, array)`` from a binary stream: the header checked, then exactly the data it promises.

    ``size`` is the stream's length in bytes if known beforehand (for a
    gzip file, ISIZE: the length modulo 2**32); a header that promises
    another length is then refused before its data is read.  ``advice``
    ends the message when the data is cut short or runs on.
    """
    start = stream.read(4)
    if len(start) < 4:
        raise MnistError(f"{name} is too short ({len(start)} bytes) to be an IDX file")
    magic = int.from_bytes(start, "big")
    type_code, ndim = start[2], start[3]
    if start[:2] != b"\0\0" or type_code not in IDX_TYPES or ndim == 0:
        raise MnistError(f"{name} is not an IDX file: it starts with magic number {magic}, "
                         f"while MNIST images start with {IMAGES_MAGIC} and labels with {LABELS_MAGIC}")
    if expected_magic is not None and magic != expected_magic:
        raise MnistError(_wrong_kind(name, magic, expected_magic))
    dims_bytes = stream.read(4 * ndim)
    if len(dims_bytes) < 4 * ndim:
        raise MnistError(f"{name} is truncated inside its header: it needs {4 + 4 * ndim} bytes, "
                         f"has {4 + len(dims_bytes)}")
    dims = tuple(int.from_bytes(dims_bytes[i:i + 4], "big") for i in range(0, 4 * ndim, 4))
    dtype = np.dtype(IDX_TYPES[type_code])
    header = start + dims_bytes
    total = len(header) + math.prod(dims) * dtype.itemsize  # exact: NumPy's product of int64s could overflow

    def refuse(problem, holds):
        raise MnistError(f"{name} {problem}: its header promises {_in_words(dims)}, {total} bytes with the header, "
                         f"but the file holds {holds} bytes; {advice}")

    if gzipped and size != total % 2**32:  # before any memory is set aside for the data
        refuse("is truncated or damaged", f"about {size}")
    if not gzipped and size is not None and size != total:
        refuse("is truncated" if size < total else "has extra bytes at its end", size)
    data = _read_at_most(stream, total - len(header) + 1)  # a gzip file's true length is known only once read
    if len(header) + len(data) < total:
        refuse("is truncated", len(header) + len(data))
    if len(header) + len(data) > total:
        refuse("has extra bytes at its end", f"more than {total}")
    return header, np.frombuffer(data, dtype).reshape(dims)


def _in_words(dims):
    """An IDX header's dimensions as a reader counts them: "60000 images of 28×28", else "(60000,) values"."""
    return f"{dims[0]} images of {_by(dims[1:])}" if len(dims) == 3 else f"{dims} values"


def _by(size):
    """An image size as it is written: (28, 28) is "28×28"."""
    return "×".join(map(str, size))


def _wrong_kind(name, magic, expected_magic):
    """Why a file whose magic number is not ``expected_magic`` cannot be used: the other kind, type or shape."""
    kinds = {IMAGES_MAGIC: "images", LABELS_MAGIC: "labels"}
    kind = kinds.get(expected_magic, "this file")
    type_code, ndim = divmod(magic, 256)
    if magic in kinds:
        return (f"{name} holds {kinds[magic]} (magic number {magic}), but {kind} need {expected_magic}: "
                "are the image and label files swapped?")
    if type_code != expected_magic // 256:
        return (f"{name} holds {np.dtype(IDX_TYPES[type_code]).name} data (IDX type 0x{type_code:02X}); "
                "MNIST files hold unsigned bytes (0x08)")
    return (f"{name} has {ndim} dimensions (magic number {magic}), but {kind} have {expected_magic % 256} "
            f"(magic number {expected_magic})")


def _read_at_most(stream, limit):
    """Up to ``limit`` bytes from ``stream``, 16 MiB at a time: memory grows only with the bytes really there."""
    data = bytearray()
    while len(data) < limit:
        block = stream.read(min(1 << 24, limit - len(data)))
        if not block:
            break
        data += block
    return data


def _verify(path, header, array):
    name = path.name.removesuffix(".gz")
    expected = SHA256.get(name)
    if expected is None:
        return
    digest = hashlib.sha256(header)
    digest.update(array)
    actual = digest.hexdigest()
    if actual != expected:
        raise MnistError(f"{path} does not match the original MNIST file {name} (SHA-256 {actual[:12]}..., "
                         f"expected {expected[:12]}...): " + (
                             "it was changed or damaged; " + _fix_hint(True, path.parent) if path.parent == SHIPPED_DIR
                             else _fix_hint(True, path.parent)))


# ----- the artificially expanded training set (chapters 3 and 6) -------------------------------
def expanded(training_data):
    """The training data plus each image shifted by one pixel down, up, right and left: 5 times as many pairs.

    Chapter 3 of the book proposes expanding the training data; chapter 6
    trains on this expansion (its ``expand_mnist.py`` writes the 250,000
    images to a file).  Here the shifted images are never stored:
    ``ShiftedImages`` makes each one when a mini-batch asks for it, so the
    expanded set costs no memory beyond the original images.  Pass the result
    to ``Network.SGD`` as the training data.
    """
    rows = training_data.as_rows() if hasattr(training_data, "as_rows") else None
    if rows is None:
        try:
            pairs = list(training_data)  # each y an int label or a one-hot column, kept in its form
            rows = (np.array([np.ravel(x) for x, _ in pairs]), np.array([y if np.ndim(y) == 0 else np.ravel(y)
                                                                         for _, y in pairs]))
        except (TypeError, ValueError):
            raise TypeError("expanded() needs training data as load_data() returns it: a list of (x, y) pairs") from None
    images, targets = rows
    if len(images) == 0:
        raise ValueError("expanded() needs at least one training image")
    shifted = ShiftedImages(images)
    targets = np.tile(targets, (len(ShiftedImages.SHIFTS),) + (1,) * (targets.ndim - 1))
    return ExpandedPairs(shifted, targets)


class ShiftedImages:
    """An array-like (n·5, pixels) of images and their one-pixel shifts, computed on demand.

    Row i is image ``i % n`` moved by ``SHIFTS[i // n]``; the pixels moved in
    from outside the picture are 0 (white).  ``images[rows]`` accepts an int
    array or a slice, as NumPy arrays do, and returns a real array.
    """

    SHIFTS = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]
    """(rows down, columns right): the image itself, then down, up, right and left."""

    def __init__(self, images):
        images = np.asarray(images)
        side = math.isqrt(images.shape[1])
        if images.ndim != 2 or side * side != images.shape[1]:
            raise ValueError(f"images of {images.shape[1:]} pixels are not square: shifting needs images of "
                             f"side × side pixels, flattened (784 for MNIST)")
        self.images = images
        self.shape = (len(self.SHIFTS) * len(images), images.shape[1])
        self.ndim, self.dtype = 2, images.dtype
        # sources[s][p]: the pixel of the original image that shift s puts at pixel p, or the index of an extra
        # pixel that is always 0 when it comes from outside the picture.
        r, c = np.divmod(np.arange(side * side), side)
        sources = []
        for down, right in self.SHIFTS:
            r0, c0 = r - down, c - right
            inside = (r0 >= 0) & (r0 < side) & (c0 >= 0) & (c0 < side)
            sources.append(np.where(inside, r0 * side + c0, side * side))
        self.sources = np.array(sources)

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, rows):
        if np.ndim(rows) == 0 and not isinstance(rows, slice):
            return self[np.array([rows])][0]
        rows = np.arange(*rows.indices(len(self))) if isinstance(rows, slice) else np.asarray(rows)
        n = len(self.images)
        with_blank = np.zeros((len(rows), self.shape[1] + 1), dtype=self.dtype)
        with_blank[:, :-1] = self.images[rows % n]
        return np.take_along_axis(with_blank, self.sources[rows // n], axis=1)


class ExpandedPairs:
    """``expanded``'s result: a sequence of (x, y) pairs, made on demand, that ``Network.SGD`` trains on as rows."""

    def __init__(self, images, targets):
        self._rows = images, targets

    def as_rows(self):
        """``(images, targets)``: the ``ShiftedImages`` and the desired outputs, one per row."""
        return self._rows

    def __len__(self):
        return len(self._rows[0])

    def __getitem__(self, i):
        if not isinstance(i, Integral):
            raise TypeError("an expanded training set is indexed by int; train on it with Network.SGD")
        if not -len(self) <= i < len(self):
            raise IndexError(f"index {i} out of range for {len(self)} pairs")
        images, targets = self._rows
        y = targets[i]
        return images[i].reshape(-1, 1), (y.reshape(-1, 1) if np.ndim(y) else y.item())
