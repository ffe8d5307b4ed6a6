"""zkinfer's Python API against the real library, with the fixture of `make bindings-fixture`."""
import json
import os
import subprocess
import threading

import pytest

import zkinfer

from conftest import ROOT


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_version_matches_the_cli():
    out = subprocess.run([os.path.join(ROOT, ".build", "release", "zkinfer"), "version", "--json"],
                         capture_output=True, text=True, check=True).stdout
    assert zkinfer.version() == json.loads(out)["version"]


def test_run_is_bit_exact_with_the_cli(fixture_dir):
    model, input_path = os.path.join(fixture_dir, "model.onnx"), os.path.join(fixture_dir, "input.json")
    outputs = zkinfer.run(model, json.loads(read(input_path)))
    cli = json.loads(subprocess.run([os.path.join(ROOT, ".build", "release", "zkinfer"), "run", model, input_path, "--json"],
                                    capture_output=True, text=True, check=True).stdout)
    assert [o["fixed"] for o in outputs] == [o["fixed"] for o in cli["outputs"]]
    assert outputs[0]["shape"] == [1, 4] and outputs[0]["scale"] == cli["settings"]["activationScale"]
    # Close to onnxruntime's float outputs (circuits/mlp_tiny/expected_output.json).
    expected = json.loads(read(os.path.join(ROOT, "circuits", "mlp_tiny", "expected_output.json")))["output_data"][0]
    assert max(abs(a - b) for a, b in zip(outputs[0]["values"], expected)) < 1e-3
    # A path works as the input too.
    assert zkinfer.run(model, input_path) == outputs


def test_prove_then_verify(fixture_dir):
    vk = read(os.path.join(fixture_dir, "vk.bin"))
    input = json.loads(read(os.path.join(fixture_dir, "input.json")))
    proof = zkinfer.prove(os.path.join(fixture_dir, "circuit.zkc"), os.path.join(fixture_dir, "pk.bin"), input)
    assert isinstance(proof, bytes) and proof[:8] == read(os.path.join(fixture_dir, "proof.bin"))[:8]
    result = zkinfer.verify(vk, proof, allow_dev_srs=True)
    assert result.valid and result.reason is None and len(result.key_fingerprint) == 64
    run = zkinfer.run(os.path.join(fixture_dir, "model.onnx"), input)
    assert [o["fixed"] for o in result.outputs] == [o["fixed"] for o in run]


def test_verify_matches_zkverify_and_enforces_trust(fixture_dir):
    vk_path, proof_path = os.path.join(fixture_dir, "vk.bin"), os.path.join(fixture_dir, "proof.bin")
    cli = json.loads(subprocess.run([os.path.join(ROOT, ".build", "release", "zkverify"), "--vk", vk_path, "--proof", proof_path,
                                     "--allow-dev-srs", "--json"], capture_output=True, text=True, check=True).stdout)
    result = zkinfer.verify(read(vk_path), read(proof_path), allow_dev_srs=True)
    assert result.valid and result.key_fingerprint == cli["key_fingerprint"]
    assert [o["values"] for o in result.outputs] == [o["values"] for o in cli["outputs"]]

    refused = zkinfer.verify(read(vk_path), read(proof_path))
    assert not refused.valid and "not trusted" in refused.reason and cli["srs_identity"] in refused.reason
    assert refused.outputs is None
    trusted = zkinfer.verify(vk_path, proof_path, trusted_srs=[cli["srs_identity"]])
    assert trusted.valid


def test_tampered_and_malformed(fixture_dir):
    vk, proof = read(os.path.join(fixture_dir, "vk.bin")), bytearray(read(os.path.join(fixture_dir, "proof.bin")))
    proof[-40] ^= 1
    tampered = zkinfer.verify(vk, bytes(proof), allow_dev_srs=True)
    assert not tampered.valid and tampered.reason
    truncated = zkinfer.verify(vk, bytes(proof[:-9]), allow_dev_srs=True)
    assert not truncated.valid and "malformed" in truncated.reason
    with pytest.raises(zkinfer.MalformedError) as e:
        zkinfer.verify(vk[: len(vk) // 2], bytes(proof), allow_dev_srs=True)
    assert "verifying key" in str(e.value) and e.value.status_name == "ZKINFER_ERROR_MALFORMED"


def test_errors_carry_the_library_messages(fixture_dir):
    circuit, pk = os.path.join(fixture_dir, "circuit.zkc"), os.path.join(fixture_dir, "pk.bin")
    with pytest.raises(zkinfer.OutOfRangeError) as e:
        zkinfer.prove(circuit, pk, {"input_data": [[1e9] + [0] * 15]})
    assert "input" in str(e.value)
    with pytest.raises(zkinfer.MalformedError) as e:
        zkinfer.prove(circuit, pk, {"input_data": [[1, 2]]})
    assert "16" in str(e.value)
    with pytest.raises(zkinfer.LibraryIOError):
        zkinfer.run("/nonexistent/model.onnx", {"input_data": [[0] * 16]})
    with pytest.raises(zkinfer.ArgumentError):
        zkinfer.verify(read(os.path.join(fixture_dir, "vk.bin")), b"", trusted_srs=["xyz"])


def test_concurrent_verification(fixture_dir):
    vk, proof = read(os.path.join(fixture_dir, "vk.bin")), read(os.path.join(fixture_dir, "proof.bin"))
    results = []
    threads = [threading.Thread(target=lambda: results.append(zkinfer.verify(vk, proof, allow_dev_srs=True).valid)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4
