/*
 * The C ABI (include/zkinfer.h) from C, as an embedding program uses it. Run by `make test` (test-c):
 *     zkinfer_c_test <fixture dir>
 * The fixture (made by `make bindings-fixture` with the zkinfer binary, development SRS): circuit.zkc,
 * pk.bin, vk.bin, proof.bin, input.json (circuits/mlp_tiny). Checks: a shipped proof verifies (with
 * allow_dev_srs, and with its SRS identity trusted explicitly), is refused when its SRS is not trusted, and is
 * rejected once tampered or truncated; a malformed key is an error with a message; prove and run work and
 * agree; errors come with their codes; two threads verify at once. Ends with "N passed, M failed".
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkinfer.h"

static int passed = 0, failed = 0;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (cond) {                                                            \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);   \
            fprintf(stderr, __VA_ARGS__);                                      \
            fprintf(stderr, "\n");                                             \
        }                                                                      \
    } while (0)

static unsigned char *read_file(const char *dir, const char *name, size_t *length) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", path); exit(2); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *bytes = malloc(size + 1);
    if (fread(bytes, 1, size, f) != (size_t)size) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
    fclose(f);
    bytes[size] = 0;
    *length = (size_t)size;
    return bytes;
}

struct shared { const unsigned char *vk, *proof; size_t vk_len, proof_len; int valid; };

static void *verify_in_thread(void *argument) {
    struct shared *s = argument;
    zkinfer_verify_options options = {.allow_dev_srs = 1};
    zkinfer_verify_result result;
    s->valid = zkinfer_verify(s->vk, s->vk_len, s->proof, s->proof_len, &options, &result, NULL) == ZKINFER_OK && result.valid;
    zkinfer_verify_result_free(&result);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s <fixture dir>\n", argv[0]); return 2; }
    const char *dir = argv[1];
    size_t vk_len, proof_len, input_len;
    unsigned char *vk = read_file(dir, "vk.bin", &vk_len);
    unsigned char *proof = read_file(dir, "proof.bin", &proof_len);
    char *input = (char *)read_file(dir, "input.json", &input_len);
    char *error = NULL;
    zkinfer_verify_result result;

    CHECK(strlen(zkinfer_version()) > 0 && strchr(zkinfer_version(), '.'), "version '%s'", zkinfer_version());
    CHECK(strcmp(zkinfer_status_name(ZKINFER_ERROR_MALFORMED), "ZKINFER_ERROR_MALFORMED") == 0, "status name");

    /* The shipped proof, its development SRS accepted explicitly. */
    zkinfer_verify_options allow = {.allow_dev_srs = 1};
    zkinfer_status status = zkinfer_verify(vk, vk_len, proof, proof_len, &allow, &result, &error);
    CHECK(status == ZKINFER_OK && error == NULL, "status %d: %s", status, error ? error : "");
    CHECK(result.valid == 1 && result.malformed == 0 && result.reason == NULL, "valid: %s", result.reason ? result.reason : "");
    CHECK(result.srs_trusted == 0, "a development SRS is not trusted, only allowed");
    CHECK(result.key_fingerprint && strlen(result.key_fingerprint) == 64, "fingerprint");
    CHECK(result.model_sha256 && strlen(result.model_sha256) == 64, "model hash");
    CHECK(result.outputs_json && strstr(result.outputs_json, "\"values\"") && strstr(result.outputs_json, "\"fixed\""),
          "outputs %s", result.outputs_json ? result.outputs_json : "(null)");
    char identity[65];
    snprintf(identity, sizeof identity, "%s", result.srs_identity ? result.srs_identity : "");
    char *outputs_of_proof = result.outputs_json ? strdup(result.outputs_json) : strdup("");
    zkinfer_verify_result_free(&result);
    CHECK(result.key_fingerprint == NULL && result.outputs_json == NULL, "free zeroes the result");

    /* The default trust policy refuses a development SRS; naming its identity trusts it. */
    status = zkinfer_verify(vk, vk_len, proof, proof_len, NULL, &result, &error);
    CHECK(status == ZKINFER_OK && result.valid == 0 && result.reason && strstr(result.reason, "not trusted") && strstr(result.reason, identity),
          "untrusted: %s", result.reason ? result.reason : "");
    zkinfer_verify_result_free(&result);
    const char *trusted[] = {identity};
    zkinfer_verify_options trust = {.allow_dev_srs = 0, .trusted_srs = trusted, .trusted_srs_count = 1};
    status = zkinfer_verify(vk, vk_len, proof, proof_len, &trust, &result, &error);
    CHECK(status == ZKINFER_OK && result.valid == 1 && result.srs_trusted == 1, "trusted identity: %s", result.reason ? result.reason : "");
    zkinfer_verify_result_free(&result);
    const char *bad_identity[] = {"not hex"};
    zkinfer_verify_options bad_trust = {.trusted_srs = bad_identity, .trusted_srs_count = 1};
    status = zkinfer_verify(vk, vk_len, proof, proof_len, &bad_trust, &result, &error);
    CHECK(status == ZKINFER_ERROR_ARGUMENT && error, "a malformed identity is an argument error");
    zkinfer_free(error);
    error = NULL;

    /* Tampered: one bit of the last commitment's encoding (inside the proof body). */
    unsigned char *tampered = malloc(proof_len);
    memcpy(tampered, proof, proof_len);
    tampered[proof_len - 40] ^= 0x01;
    status = zkinfer_verify(vk, vk_len, tampered, proof_len, &allow, &result, &error);
    CHECK(status == ZKINFER_OK && result.valid == 0 && result.reason, "tampered proof rejected");
    fprintf(stderr, "tampered proof: %s\n", result.reason ? result.reason : "");
    zkinfer_verify_result_free(&result);
    /* Truncated: the proof file does not decode. */
    status = zkinfer_verify(vk, vk_len, proof, proof_len - 9, &allow, &result, &error);
    CHECK(status == ZKINFER_OK && result.valid == 0 && result.malformed == 1, "truncated proof is malformed");
    zkinfer_verify_result_free(&result);

    /* A malformed key: no verdict, an error with the library's message. */
    status = zkinfer_verify(vk, vk_len / 2, proof, proof_len, &allow, &result, &error);
    CHECK(status == ZKINFER_ERROR_MALFORMED && error && strstr(error, "verifying key"), "malformed key: %d %s", status, error ? error : "");
    zkinfer_free(error);
    error = NULL;
    status = zkinfer_verify(NULL, 0, proof, proof_len, &allow, &result, &error);
    CHECK(status == ZKINFER_ERROR_ARGUMENT, "NULL key");
    zkinfer_free(error);
    error = NULL;

    /* Prove in C, verify the new proof: its outputs are the shipped proof's (same input, same model). */
    char circuit[4096], pk[4096], model[4096];
    snprintf(circuit, sizeof circuit, "%s/circuit.zkc", dir);
    snprintf(pk, sizeof pk, "%s/pk.bin", dir);
    snprintf(model, sizeof model, "%s/model.onnx", dir);
    uint8_t *new_proof = NULL;
    size_t new_len = 0;
    status = zkinfer_prove(circuit, pk, input, &new_proof, &new_len, &error);
    CHECK(status == ZKINFER_OK && new_proof && new_len > 0, "prove: %s", error ? error : "");
    if (new_proof) {
        status = zkinfer_verify(vk, vk_len, new_proof, new_len, &allow, &result, &error);
        CHECK(status == ZKINFER_OK && result.valid == 1, "new proof valid");
        CHECK(result.outputs_json && strcmp(result.outputs_json, outputs_of_proof) == 0, "same outputs");
        zkinfer_verify_result_free(&result);
    }
    zkinfer_free(new_proof);
    status = zkinfer_prove(circuit, pk, "{\"input_data\": [[1e9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]}", &new_proof, &new_len, &error);
    CHECK(status == ZKINFER_ERROR_OUT_OF_RANGE && error && new_proof == NULL, "out of range: %d %s", status, error ? error : "");
    zkinfer_free(error);
    error = NULL;
    status = zkinfer_prove(circuit, pk, "{\"input_data\": [[1, 2]]}", &new_proof, &new_len, &error);
    CHECK(status == ZKINFER_ERROR_MALFORMED && error && strstr(error, "16"), "wrong shape: %d %s", status, error ? error : "");
    zkinfer_free(error);
    error = NULL;
    status = zkinfer_prove(circuit, "/nonexistent/pk.bin", input, &new_proof, &new_len, &error);
    CHECK(status == ZKINFER_ERROR_IO && error, "missing key: %d", status);
    zkinfer_free(error);
    error = NULL;

    /* Direct inference: the fixed-point outputs the proof attests. */
    char *outputs = NULL;
    status = zkinfer_run(model, input, NULL, &outputs, &error);
    CHECK(status == ZKINFER_OK && outputs && strstr(outputs, "\"scale\""), "run: %s", error ? error : "");
    if (outputs) {
        /* The verified outputs' "fixed" integers appear verbatim in run's outputs. */
        const char *fixed = strstr(outputs_of_proof, "\"fixed\":");
        const char *end = fixed ? strchr(fixed, ']') : NULL;
        if (fixed && end) {
            char needle[4096];
            snprintf(needle, sizeof needle, "%.*s", (int)(end - fixed + 1), fixed);
            CHECK(strstr(outputs, needle) != NULL, "run's fixed outputs %s contain the proof's %s", outputs, needle);
        } else {
            CHECK(0, "no fixed outputs in %s", outputs_of_proof);
        }
    }
    zkinfer_free(outputs);
    status = zkinfer_run("/nonexistent.onnx", input, NULL, &outputs, &error);
    CHECK(status == ZKINFER_ERROR_IO && error && strstr(error, "nonexistent"), "run missing model: %d", status);
    zkinfer_free(error);
    error = NULL;

    /* Thread safety: two verifications at once. */
    struct shared a = {vk, proof, vk_len, proof_len, 0}, b = a;
    pthread_t ta, tb;
    pthread_create(&ta, NULL, verify_in_thread, &a);
    pthread_create(&tb, NULL, verify_in_thread, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(a.valid && b.valid, "concurrent verification");

    free(outputs_of_proof);
    free(tampered);
    free(vk);
    free(proof);
    free(input);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
