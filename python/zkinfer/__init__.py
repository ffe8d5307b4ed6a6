"""ZKInfer from Python: direct inference, proving and verification through libzkinfer (ctypes).

    import zkinfer
    outputs = zkinfer.run("model.onnx", {"input_data": [[...]]})
    proof = zkinfer.prove("circuit.zkc", "pk.bin", {"input_data": [[...]]})
    result = zkinfer.verify(vk_bytes, proof, allow_dev_srs=True)   # VerifyResult(valid, outputs, key_fingerprint, reason)

Errors raise ZKInferError (or a subclass) carrying the library's message.
"""
import ctypes
import json
import os
import threading
from typing import Any, Iterable, List, NamedTuple, Optional, Union

from . import _native

__all__ = [
    "run", "prove", "verify", "version", "VerifyResult", "ZKInferError", "ArgumentError", "LibraryIOError",
    "MalformedError", "UnsupportedModelError", "OutOfRangeError", "KeyMismatchError",
]

_lib = None
_lib_lock = threading.Lock()


def _library():
    global _lib
    with _lib_lock:
        if _lib is None:
            _lib = _native.load()
        return _lib


class ZKInferError(Exception):
    """A failure reported by libzkinfer: `status` (a ZKINFER_* code), `status_name`, and its message."""

    def __init__(self, status: int, status_name: str, message: str):
        super().__init__(message)
        self.status = status
        self.status_name = status_name
        self.message = message


class ArgumentError(ZKInferError, ValueError):
    pass


class LibraryIOError(ZKInferError, OSError):
    pass


class MalformedError(ZKInferError, ValueError):
    pass


class UnsupportedModelError(ZKInferError):
    pass


class OutOfRangeError(ZKInferError, ValueError):
    pass


class KeyMismatchError(ZKInferError):
    pass


_ERRORS = {1: ArgumentError, 2: LibraryIOError, 3: MalformedError, 4: UnsupportedModelError, 5: OutOfRangeError,
           6: KeyMismatchError}


class VerifyResult(NamedTuple):
    valid: bool
    outputs: Optional[List[dict]]
    key_fingerprint: str
    reason: Optional[str]


def version() -> str:
    return _library().zkinfer_version().decode()


def _take_string(lib, pointer: Optional[int]) -> Optional[str]:
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.zkinfer_free(pointer)


def _check(lib, status: int, error: ctypes.c_void_p) -> None:
    message = _take_string(lib, error.value)
    if status != _native.OK:
        name = lib.zkinfer_status_name(status).decode()
        raise _ERRORS.get(status, ZKInferError)(status, name, message or name)


def _path(p: Union[str, "os.PathLike[str]"]) -> bytes:
    return os.fsencode(os.fspath(p))


def _input_json(input: Any) -> bytes:
    """A dict (the input-file format), a JSON string, bytes, or a path to an input file."""
    if isinstance(input, (dict, list)):
        return json.dumps(input).encode()
    if isinstance(input, bytes):
        return input
    if isinstance(input, os.PathLike) or (isinstance(input, str) and not input.lstrip().startswith(("{", "["))):
        with open(input, "rb") as f:
            return f.read()
    if isinstance(input, str):
        return input.encode()
    raise TypeError(f"input must be a dict, a JSON string or a path, not {type(input).__name__}")


def _bytes(data: Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    with open(data, "rb") as f:
        return f.read()


def run(model_path: Union[str, "os.PathLike[str]"], input: Any, settings_path: Optional[str] = None) -> List[dict]:
    """Direct fixed-point inference of one sample: [{"name", "shape", "values", "fixed", "scale"}, …]."""
    lib = _library()
    outputs, error = ctypes.c_void_p(), ctypes.c_void_p()
    status = lib.zkinfer_run(_path(model_path), _input_json(input), _path(settings_path) if settings_path else None,
                             ctypes.byref(outputs), ctypes.byref(error))
    _check(lib, status, error)
    return json.loads(_take_string(lib, outputs.value))


def prove(circuit_path: Union[str, "os.PathLike[str]"], pk_path: Union[str, "os.PathLike[str]"], input: Any) -> bytes:
    """One proof of the model of `circuit_path` on `input`: the proof file's bytes."""
    lib = _library()
    proof, length, error = ctypes.c_void_p(), ctypes.c_size_t(), ctypes.c_void_p()
    status = lib.zkinfer_prove(_path(circuit_path), _path(pk_path), _input_json(input), ctypes.byref(proof),
                               ctypes.byref(length), ctypes.byref(error))
    _check(lib, status, error)
    try:
        return ctypes.string_at(proof.value, length.value)
    finally:
        lib.zkinfer_free(proof.value)


def verify(vk: Union[bytes, str], proof: Union[bytes, str], allow_dev_srs: bool = False,
           trusted_srs: Iterable[str] = (), trusted_srs_file: Optional[str] = None) -> VerifyResult:
    """Verifies `proof` against the verifying key `vk` (bytes, or paths to the files).

    The key's SRS must be trusted: a built-in ceremony, an identity in `trusted_srs` (hex, as `zkinfer params
    info` prints it) or in `trusted_srs_file` — or accepted anyway with `allow_dev_srs=True` (INSECURE).
    """
    lib = _library()
    key_bytes, proof_bytes = _bytes(vk), _bytes(proof)
    identities = [s.encode() for s in trusted_srs]
    array = (ctypes.c_char_p * max(1, len(identities)))(*identities)
    options = _native.VerifyOptions(1 if allow_dev_srs else 0, array, len(identities),
                                    _path(trusted_srs_file) if trusted_srs_file else None)
    result, error = _native.VerifyResultStruct(), ctypes.c_void_p()
    status = lib.zkinfer_verify(key_bytes, len(key_bytes), proof_bytes, len(proof_bytes), ctypes.byref(options),
                                ctypes.byref(result), ctypes.byref(error))
    _check(lib, status, error)
    try:
        def text(pointer):
            return ctypes.string_at(pointer).decode() if pointer else None
        outputs = text(result.outputs_json)
        return VerifyResult(valid=bool(result.valid), outputs=json.loads(outputs) if outputs else None,
                            key_fingerprint=text(result.key_fingerprint) or "", reason=text(result.reason))
    finally:
        lib.zkinfer_verify_result_free(ctypes.byref(result))
