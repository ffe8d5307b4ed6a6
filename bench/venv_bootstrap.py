"""Run a bench/ Python tool inside bench/.venv, creating it from bench/requirements.txt when missing.

The tools are started with any python3 (`python3 bench/vectors/generate_bn254.py`); this re-executes them
with the venv's interpreter so the pinned packages (requirements.txt) are the ones imported.
"""
import os
import subprocess
import sys
import venv

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
VENV_DIR = os.path.join(BENCH_DIR, ".venv")
REQUIREMENTS = os.path.join(BENCH_DIR, "requirements.txt")
STAMP = os.path.join(VENV_DIR, "requirements.installed")


def _venv_python() -> str:
    return os.path.join(VENV_DIR, "bin", "python")


def _requirements_text() -> str:
    with open(REQUIREMENTS, encoding="utf-8") as f:
        return f.read()


def ensure_venv() -> None:
    """Re-exec the current script under bench/.venv (installing the pinned packages first if needed)."""
    inside = os.path.realpath(sys.prefix) == os.path.realpath(VENV_DIR)
    wanted = _requirements_text()
    installed = open(STAMP, encoding="utf-8").read() if os.path.exists(STAMP) else None
    if installed != wanted:
        if not os.path.exists(_venv_python()):
            print(f"creating {VENV_DIR}", file=sys.stderr)
            venv.EnvBuilder(with_pip=True).create(VENV_DIR)
        print(f"installing {REQUIREMENTS} into {VENV_DIR}", file=sys.stderr)
        subprocess.check_call([_venv_python(), "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS])
        with open(STAMP, "w", encoding="utf-8") as f:
            f.write(wanted)
    if not inside:
        os.execv(_venv_python(), [_venv_python(), os.path.abspath(sys.argv[0])] + sys.argv[1:])
