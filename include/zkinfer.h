/*
 * zkinfer.h — the C ABI of libzkinfer (ZKInfer: verifiable inference for fixed-point neural networks).
 *
 * Build:  make lib        → lib/libzkinfer.so (the Swift runtime is linked in statically; at run time it
 *                            needs libc, libm, libstdc++, libgcc_s, libgmp and libcrypto)
 * Link:   cc app.c -Iinclude -Llib -lzkinfer -Wl,-rpath,'$ORIGIN/lib'
 *
 * Conventions
 * - Every function that can fail returns a zkinfer_status (ZKINFER_OK = 0). On failure, when `error` is not
 *   NULL, *error receives a one-line message (the same text the zkinfer/zkverify tools print), owned by the
 *   caller: release it with zkinfer_free. On success *error is set to NULL.
 * - Ownership: every pointer the library hands out (strings, proof bytes, the strings inside a
 *   zkinfer_verify_result) is allocated with malloc and owned by the caller, who releases it with
 *   zkinfer_free (or zkinfer_verify_result_free for a result's members). The library keeps no pointer the
 *   caller passed in after a call returns; inputs are only read during the call.
 * - Strings are NUL-terminated UTF-8. Byte buffers come with their length.
 * - Thread safety: every function may be called from any thread, concurrently. The library keeps no mutable
 *   global state between calls (no handles, no caches); each call loads what it needs. Proving splits its
 *   work over the machine's cores (ZKINFER_THREADS=N in the environment, read once at load, caps that), so
 *   many concurrent prove calls oversubscribe the CPU but stay correct.
 * - Verification never runs prover code: zkinfer_verify decodes the key and proof and runs the verifier
 *   (docs/protocol.md §15) and the SRS trust check (§17) only.
 * - No function aborts the process on bad input: hostile model, input, key or proof bytes give an error
 *   code (or, for proofs, an invalid result) with a message.
 */
#ifndef ZKINFER_H
#define ZKINFER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped when a function or struct of this header changes incompatibly. */
#define ZKINFER_ABI_VERSION 1

enum {
    ZKINFER_OK = 0,
    ZKINFER_ERROR_ARGUMENT = 1,    /* a NULL pointer where one is required, text that is not UTF-8, a bad option */
    ZKINFER_ERROR_IO = 2,          /* a file could not be read */
    ZKINFER_ERROR_MALFORMED = 3,   /* a model, circuit, key, settings or input that is not well formed */
    ZKINFER_ERROR_UNSUPPORTED = 4, /* a model the toolkit cannot run or prove (unsupported operator, too large) */
    ZKINFER_ERROR_OUT_OF_RANGE = 5,/* an input or intermediate value outside the fixed-point bound */
    ZKINFER_ERROR_KEY_MISMATCH = 6,/* the proving key was not made for this circuit */
    ZKINFER_ERROR_INTERNAL = 7     /* anything else (a bug: please report it with the message) */
};
typedef int32_t zkinfer_status;

/* The verifier's trust policy for the SRS a verifying key was made from (docs/protocol.md §17.1).
 * A key is accepted when its SRS identity is a built-in ceremony, one of `trusted_srs` (64 hex digits each,
 * as `zkinfer params info` prints them), or a line of `trusted_srs_file`; otherwise the proof is reported
 * invalid — unless `allow_dev_srs` is non-zero, which accepts any SRS (INSECURE: whoever knows its tau can
 * forge proofs; the result then says srs_trusted = 0). Passing NULL for the options means: built-in
 * ceremonies only, allow_dev_srs = 0. No trusted-srs file is read unless named here. */
typedef struct zkinfer_verify_options {
    int32_t allow_dev_srs;
    const char *const *trusted_srs; /* may be NULL when trusted_srs_count is 0 */
    size_t trusted_srs_count;
    const char *trusted_srs_file;   /* NULL: none */
} zkinfer_verify_options;

/* What zkinfer_verify found. Strings are owned by the caller: release them all with
 * zkinfer_verify_result_free (which also zeroes the struct). */
typedef struct zkinfer_verify_result {
    int32_t valid;          /* 1: the proof is valid for this key (and its SRS is trusted or allowed) */
    int32_t malformed;      /* 1: the proof bytes do not decode (valid is then 0) */
    int32_t srs_trusted;    /* 1: the key's SRS identity is trusted (0 also when accepted by allow_dev_srs) */
    char *key_fingerprint;  /* the verifying key's fingerprint, hex */
    char *model_sha256;     /* the model hash the key records, hex; NULL for a key without a model description */
    char *srs_identity;     /* the key's SRS identity, hex */
    char *outputs_json;     /* valid proofs of compiler-made keys: [{"name","shape","values","fixed"}, …]; else NULL */
    char *reason;           /* why the proof is not valid; NULL when valid */
} zkinfer_verify_result;

/* The toolkit version, e.g. "0.1.0". Static: do not free. */
const char *zkinfer_version(void);

/* A status code's name, e.g. "ZKINFER_ERROR_MALFORMED". Static: do not free. */
const char *zkinfer_status_name(zkinfer_status status);

/* Direct (unproven) fixed-point inference, bit-exact with `zkinfer run` and with what a proof attests.
 * model_path: an ONNX file. input_json: the input as JSON text, in any format `zkinfer prove` accepts
 * ({"input_data": [[…]]} or {"<input name>": […]}), one sample. settings_path: quantization settings
 * (from `zkinfer calibrate`) or NULL for the defaults.
 * On success *outputs_json receives [{"name","shape","values","fixed","scale"}, …]. */
zkinfer_status zkinfer_run(const char *model_path, const char *input_json, const char *settings_path,
                           char **outputs_json, char **error);

/* Proves one inference: circuit_path from `zkinfer compile`, pk_path from `zkinfer setup`, input_json as
 * for zkinfer_run. On success *proof / *proof_len receive the proof file's bytes (what `zkinfer prove`
 * writes; public values inside). */
zkinfer_status zkinfer_prove(const char *circuit_path, const char *pk_path, const char *input_json,
                             uint8_t **proof, size_t *proof_len, char **error);

/* Verifies a proof against a verifying key (the bytes of vk.bin and of a .proof file).
 * Returns ZKINFER_OK whenever a verdict was reached — valid or not — and fills *result; an invalid,
 * malformed or untrusted proof is result->valid = 0 with result->reason. Returns an error code only when no
 * verdict is possible: NULL arguments, a malformed verifying key, a malformed trust option. */
zkinfer_status zkinfer_verify(const uint8_t *vk, size_t vk_len, const uint8_t *proof, size_t proof_len,
                              const zkinfer_verify_options *options, zkinfer_verify_result *result,
                              char **error);

/* Releases the strings of a result filled by zkinfer_verify and zeroes it. NULL is allowed. */
void zkinfer_verify_result_free(zkinfer_verify_result *result);

/* Releases anything the library allocated (a string, proof bytes). NULL is allowed. */
void zkinfer_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif /* ZKINFER_H */
