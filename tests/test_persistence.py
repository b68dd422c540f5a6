"""Saving and loading networks: round trip, atomic writes, clear errors."""
import re

import numpy as np
import pytest

from nndl.network import Network
from nndl.persistence import atomic_write


def test_round_trip(tmp_path):
    net = Network([5, 4, 3], seed=0, dtype=np.float32)
    net.save(tmp_path / "net.npz")
    loaded = Network.load(tmp_path / "net.npz")
    assert loaded.sizes == [5, 4, 3] and loaded.dtype == np.float32
    for a, b in zip(net.weights + net.biases, loaded.weights + loaded.biases):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    x = np.random.default_rng(0).random((5, 2))
    np.testing.assert_array_equal(net.feedforward(x), loaded.feedforward(x))


def test_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "net.npz"
    path.write_bytes(b"precious")
    with pytest.raises(RuntimeError):
        with atomic_write(path) as f:
            f.write(b"half")
            raise RuntimeError("crash halfway")
    assert path.read_bytes() == b"precious"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_saved_files_get_the_usual_permissions(tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    try:
        Network([2, 2]).save(tmp_path / "net.npz")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "net.npz").stat().st_mode) == 0o644


def test_save_into_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        Network([2, 2]).save(tmp_path / "nowhere" / "net.npz")


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no saved network"):
        Network.load(tmp_path / "net.npz")


def test_corrupt_file(tmp_path):
    path = tmp_path / "net.npz"
    Network([3, 2]).save(path)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ValueError, match="not a saved network .* or is corrupt"):
        Network.load(path)


def test_other_npz_or_version_or_shapes(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, x=np.zeros(3))
    with pytest.raises(ValueError, match="not a saved nndl network"):
        Network.load(path)
    net = Network([3, 2])
    arrays = dict(format_version=99, sizes=[3, 2], dtype="float64", weights_0=net.weights[0], biases_0=net.biases[0])
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="format version 99"):
        Network.load(path)
    np.savez(path, **(arrays | dict(format_version=1, sizes=[4, 2])))
    with pytest.raises(ValueError, match=r"inconsistent.*needs \(2, 4\)"):
        Network.load(path)
    np.savez(path, **{k: v for k, v in (arrays | dict(format_version=1)).items() if k != "biases_0"})
    with pytest.raises(ValueError, match="biases_0"):
        Network.load(path)


def test_saving_over_a_file_keeps_its_permissions(tmp_path):
    import os
    import stat

    path = tmp_path / "net.npz"
    Network([2, 2], seed=0).save(path)
    os.chmod(path, 0o600)
    Network([2, 2], seed=1).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert np.array_equal(Network.load(path).weights[0], Network([2, 2], seed=1).weights[0])


def test_saving_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    (tmp_path / "nets").mkdir()
    target = tmp_path / "nets" / "real.npz"
    link = tmp_path / "latest.npz"
    Network([2, 2], seed=0).save(target)
    link.symlink_to(target)
    Network([2, 2], seed=1).save(link)
    assert link.is_symlink() and link.resolve() == target
    assert np.array_equal(Network.load(target).weights[0], Network([2, 2], seed=1).weights[0])
    assert sorted(p.name for p in (tmp_path / "nets").iterdir()) == ["real.npz"]  # no temporary file left


def test_a_tilde_is_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    Network([2, 2]).save("~/net.npz")
    assert Network.load("~/net.npz").sizes == [2, 2] and (tmp_path / "net.npz").is_file()


def test_a_failed_write_falls_back_to_a_new_file(tmp_path, monkeypatch):
    import errno

    from nndl.persistence import write_with_fallback

    monkeypatch.setenv("HOME", str(tmp_path))
    written = []

    def write(path):
        if str(path).endswith("full/net.npz"):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)

    fallback, error = write_with_fallback(write, "/full/net.npz")
    assert error.errno == errno.ENOSPC and written == [str(fallback)]
    assert fallback.parent == tmp_path and fallback.name.startswith("nndl-rescued-") and fallback.name.endswith("-net.npz")
    assert write_with_fallback(write, tmp_path / "ok.npz") == (tmp_path / "ok.npz", None)


def test_any_file_name_the_folder_allows_saves(tmp_path):
    """A 250-character name (of the 255 allowed): the temporary file beside it must not need a longer one."""
    path = tmp_path / ("n" * 246 + ".npz")
    Network([2, 2]).save(path)
    assert Network.load(path).sizes == [2, 2] and list(tmp_path.iterdir()) == [path]


def test_ctrl_c_right_after_the_file_is_replaced_keeps_it(tmp_path, monkeypatch):
    import os

    replace = os.replace

    def replace_then_ctrl_c(source, target):
        replace(source, target)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):  # the interruption itself, not a FileNotFoundError about the temporary file
        Network([2, 2], seed=0).save(tmp_path / "net.npz")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == [tmp_path / "net.npz"]
    assert np.array_equal(Network.load(tmp_path / "net.npz").weights[0], Network([2, 2], seed=0).weights[0])


@pytest.mark.parametrize("spoil,message", [
    (lambda net: setattr(net, "biases", [np.zeros(3)]), "net.biases has shapes [(3,)], but a [2, 3] network needs"),
    (lambda net: net.weights[0].fill(np.nan), "net.weights[0] holds NaN or infinite numbers"),
])
def test_save_refuses_what_load_would_refuse_and_keeps_the_file(tmp_path, spoil, message):
    """A flat bias vector or NaN weights (after training diverged) would replace a good file by one load refuses."""
    path = tmp_path / "net.npz"
    good = Network([2, 3], seed=0)
    good.save(path)
    spoilt = Network([2, 3], seed=1)
    spoil(spoilt)
    with pytest.raises(ValueError, match=rf"cannot save the network to {path}, since load\(\) would refuse the "
                                         rf"file: {re.escape(message)}"):
        spoilt.save(path)
    assert np.array_equal(Network.load(path).weights[0], good.weights[0])


def test_weights_assigned_as_integers_are_saved_as_the_networks_dtype(tmp_path):
    net = Network([2, 3], dtype=np.float32)
    net.weights[0] = np.arange(6).reshape(3, 2)
    net.save(tmp_path / "net.npz")
    loaded = Network.load(tmp_path / "net.npz")
    assert loaded.weights[0].dtype == np.float32 and np.array_equal(loaded.weights[0], net.weights[0])
