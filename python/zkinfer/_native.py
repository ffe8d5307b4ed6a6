"""ctypes declarations of include/zkinfer.h and the loading of libzkinfer."""
import ctypes
import ctypes.util
import os

OK = 0


class VerifyOptions(ctypes.Structure):
    _fields_ = [
        ("allow_dev_srs", ctypes.c_int32),
        ("trusted_srs", ctypes.POINTER(ctypes.c_char_p)),
        ("trusted_srs_count", ctypes.c_size_t),
        ("trusted_srs_file", ctypes.c_char_p),
    ]


class VerifyResultStruct(ctypes.Structure):
    # char * members as c_void_p: the library owns nothing after the call, we copy then free them.
    _fields_ = [
        ("valid", ctypes.c_int32),
        ("malformed", ctypes.c_int32),
        ("srs_trusted", ctypes.c_int32),
        ("key_fingerprint", ctypes.c_void_p),
        ("model_sha256", ctypes.c_void_p),
        ("srs_identity", ctypes.c_void_p),
        ("outputs_json", ctypes.c_void_p),
        ("reason", ctypes.c_void_p),
    ]


def _candidates():
    explicit = os.environ.get("ZKINFER_LIBRARY")
    if explicit:
        yield explicit
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, "lib", "libzkinfer.so")
    found = ctypes.util.find_library("zkinfer")
    if found:
        yield found
    yield "libzkinfer.so"


def load():
    errors = []
    for path in _candidates():
        if os.path.sep in path and not os.path.exists(path):
            errors.append(f"{path}: not found")
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
            continue
        _declare(lib)
        return lib
    raise OSError("libzkinfer not found (run `make python` before `pip install ./python`, or set ZKINFER_LIBRARY): "
                  + "; ".join(errors))


def _declare(lib):
    out_str = ctypes.POINTER(ctypes.c_void_p)
    lib.zkinfer_version.restype = ctypes.c_char_p
    lib.zkinfer_version.argtypes = []
    lib.zkinfer_status_name.restype = ctypes.c_char_p
    lib.zkinfer_status_name.argtypes = [ctypes.c_int32]
    lib.zkinfer_free.restype = None
    lib.zkinfer_free.argtypes = [ctypes.c_void_p]
    lib.zkinfer_run.restype = ctypes.c_int32
    lib.zkinfer_run.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, out_str, out_str]
    lib.zkinfer_prove.restype = ctypes.c_int32
    lib.zkinfer_prove.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, out_str,
                                  ctypes.POINTER(ctypes.c_size_t), out_str]
    lib.zkinfer_verify.restype = ctypes.c_int32
    lib.zkinfer_verify.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t,
                                   ctypes.POINTER(VerifyOptions), ctypes.POINTER(VerifyResultStruct), out_str]
    lib.zkinfer_verify_result_free.restype = None
    lib.zkinfer_verify_result_free.argtypes = [ctypes.POINTER(VerifyResultStruct)]
