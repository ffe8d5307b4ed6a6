import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def fixture_dir():
    """The bindings fixture made by `make bindings-fixture` (mlp_tiny, development SRS)."""
    path = os.environ.get("ZKINFER_FIXTURE", os.path.join(ROOT, ".build", "bindings-fixture"))
    if not os.path.exists(os.path.join(path, "vk.bin")):
        pytest.fail(f"no fixture in {path}: run `make bindings-fixture` (make test does)")
    return path
