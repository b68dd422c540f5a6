"""pyproject.toml (pip) and environment.yml (conda) declare the same dependencies."""
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


BENCHMARK_ONLY = {"bench"}  # an extra the course never installs (PyTorch, for one benchmark), so not in environment.yml


def pip_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [group for name, group in project["optional-dependencies"].items() if name not in BENCHMARK_ONLY]
    return {_normalise(r) for r in project["dependencies"] + [r for group in extras for r in group]}


def conda_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    names = {_normalise(d) for d in env["dependencies"] if isinstance(d, str)}
    # conda's own: the interpreter and the installer; and the hub's proxy, which pip users take from npm
    return names - {"python>=3.11", "pip", "configurable-http-proxy"}


def _normalise(requirement):
    return requirement.replace(" ", "").lower()


def test_same_dependencies_and_versions():
    assert pip_requirements() == conda_requirements()


def test_environment_installs_the_package_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["--editable ."]


def test_reading_a_notebook_does_not_build_jsonschemas_iri_parsers():
    """jsonschema 4.25+ imports rfc3987-syntax, which builds its parsers on import (about 1 s per process)."""
    imported = subprocess.run([sys.executable, "-c", "import sys, nbformat.validator, jupyter_events.validators; "
                               "print(sorted(m for m in ('rfc3987_syntax', 'lark') if m in sys.modules))"],
                              capture_output=True, text=True, check=True).stdout.strip()
    assert imported == "[]", f"{imported} imported: keep jsonschema below 4.25 (pyproject.toml)"


def test_a_plain_install_finds_the_shipped_mnist_sweep_and_mistakes(tmp_path):
    """``pip install .`` (not editable, as a hub's shared environment may do) keeps the data beside the package."""
    import numpy
    import venv
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "wheel"),
                            str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    venv.create(tmp_path / "env", with_pip=False)
    python = tmp_path / "env" / "bin" / "python"
    wheel = next((tmp_path / "wheel").glob("nndl-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
                   check=True)
    probe = ("from nndl import mistakes, mnist, sweep; print(mnist.SHIPPED_DIR.parent); "
             "print(len(mnist.load_data()[2]), sweep.load_sweep(sweep.SHIPPED_SWEEP) is not None, "
             "len(mistakes.load_mistakes()['mistakes']) > 0)")
    dependencies = str(Path(numpy.__file__).parents[1])  # numpy and the rest, from this environment
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                            env={"PYTHONPATH": dependencies, "PATH": "/usr/bin:/bin"})
    assert result.stdout.split("\n")[:2] == [str(tmp_path / "env" / "share" / "nndl"), "10000 True True"], result.stderr
