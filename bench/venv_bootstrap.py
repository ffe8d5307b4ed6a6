"""Run a bench/ Python tool inside a venv, creating it from a pinned requirements file when missing.

The tools are started with any python3 (`python3 bench/vectors/generate_bn254.py`); this re-executes them
with the venv's interpreter so the pinned packages are the ones imported. Two venvs:
- bench/.venv from bench/requirements.txt: the bench and vector tools (ezkl, mcl, py_ecc: heavy);
- bench/.venv-test from bench/requirements-test.txt: what `make test` needs (onnx, onnxruntime, numpy),
  kept separate so that CI on a fresh machine installs only those.
"""
import os
import subprocess
import sys
import venv

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
VENV_DIR = os.path.join(BENCH_DIR, ".venv")
REQUIREMENTS = os.path.join(BENCH_DIR, "requirements.txt")
TEST_VENV_DIR = os.path.join(BENCH_DIR, ".venv-test")
TEST_REQUIREMENTS = os.path.join(BENCH_DIR, "requirements-test.txt")


def ensure_venv(venv_dir: str = VENV_DIR, requirements: str = REQUIREMENTS) -> None:
    """Re-exec the current script under `venv_dir` (installing `requirements` first if needed)."""
    python = os.path.join(venv_dir, "bin", "python")
    stamp = os.path.join(venv_dir, "requirements.installed")
    inside = os.path.realpath(sys.prefix) == os.path.realpath(venv_dir)
    with open(requirements, encoding="utf-8") as f:
        wanted = f.read()
    installed = open(stamp, encoding="utf-8").read() if os.path.exists(stamp) else None
    if installed != wanted:
        if not os.path.exists(python):
            print(f"creating {venv_dir}", file=sys.stderr)
            venv.EnvBuilder(with_pip=True).create(venv_dir)
        print(f"installing {requirements} into {venv_dir}", file=sys.stderr)
        subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements])
        with open(stamp, "w", encoding="utf-8") as f:
            f.write(wanted)
    if not inside:
        os.execv(python, [python, os.path.abspath(sys.argv[0])] + sys.argv[1:])


def ensure_test_venv() -> None:
    """The light venv of `make test` (bench/requirements-test.txt)."""
    ensure_venv(TEST_VENV_DIR, TEST_REQUIREMENTS)
