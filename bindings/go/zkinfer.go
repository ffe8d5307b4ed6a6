// Package zkinfer is ZKInfer from Go: proving and verifying through libzkinfer (include/zkinfer.h) with cgo.
//
// Build the library first (`make lib` → lib/libzkinfer.so at the repository root); this package links it
// from there (override with CGO_LDFLAGS). Every function may be called from any goroutine concurrently.
package zkinfer

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo LDFLAGS: -L${SRCDIR}/../../lib -lzkinfer -Wl,-rpath,${SRCDIR}/../../lib
#include <stdlib.h>
#include "zkinfer.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"unsafe"
)

// Error is a failure reported by the library: its status code (ZKINFER_*), the code's name and the
// library's message.
type Error struct {
	Status  int
	Name    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("zkinfer: %s (%s)", e.Message, e.Name) }

// Output is one model output: real values and the fixed-point integers they come from.
type Output struct {
	Name   string    `json:"name"`
	Shape  []int     `json:"shape"`
	Values []float64 `json:"values"`
	Fixed  []int64   `json:"fixed"`
}

// VerifyOptions is the verifier's SRS trust policy (docs/protocol.md §17.1). The zero value trusts the
// built-in ceremonies only.
type VerifyOptions struct {
	// AllowDevSRS accepts a key whose SRS is not trusted (INSECURE: whoever knows its tau can forge proofs).
	AllowDevSRS bool
	// TrustedSRS lists trusted SRS identities (64 hex digits, as `zkinfer params info` prints them).
	TrustedSRS []string
	// TrustedSRSFile names a file of trusted identities, one per line ("" for none).
	TrustedSRSFile string
}

// VerifyResult is the verdict on one proof.
type VerifyResult struct {
	Valid          bool
	Malformed      bool
	SRSTrusted     bool
	KeyFingerprint string
	ModelSHA256    string
	SRSIdentity    string
	Outputs        []Output // nil unless valid
	Reason         string   // "" when valid
}

// Version is the library's version.
func Version() string { return C.GoString(C.zkinfer_version()) }

func failure(status C.zkinfer_status, message *C.char) error {
	if status == C.ZKINFER_OK {
		return nil
	}
	text := C.GoString(message)
	C.zkinfer_free(unsafe.Pointer(message))
	return &Error{Status: int(status), Name: C.GoString(C.zkinfer_status_name(status)), Message: text}
}

// Prove proves one inference of the model of circuitPath (from `zkinfer compile`) with the proving key
// pkPath (from `zkinfer setup`) on inputJSON (the input-file format, one sample). It returns the proof
// file's bytes.
func Prove(circuitPath, pkPath string, inputJSON []byte) ([]byte, error) {
	circuit, pk := C.CString(circuitPath), C.CString(pkPath)
	input := C.CString(string(inputJSON))
	defer C.free(unsafe.Pointer(circuit))
	defer C.free(unsafe.Pointer(pk))
	defer C.free(unsafe.Pointer(input))
	var proof *C.uint8_t
	var length C.size_t
	var message *C.char
	status := C.zkinfer_prove(circuit, pk, input, &proof, &length, &message)
	if err := failure(status, message); err != nil {
		return nil, err
	}
	defer C.zkinfer_free(unsafe.Pointer(proof))
	return C.GoBytes(unsafe.Pointer(proof), C.int(length)), nil
}

// Run is direct (unproven) fixed-point inference: the outputs a proof of this input would attest.
// settingsPath may be "" for the default settings.
func Run(modelPath string, inputJSON []byte, settingsPath string) ([]Output, error) {
	model, input := C.CString(modelPath), C.CString(string(inputJSON))
	defer C.free(unsafe.Pointer(model))
	defer C.free(unsafe.Pointer(input))
	var settings *C.char
	if settingsPath != "" {
		settings = C.CString(settingsPath)
		defer C.free(unsafe.Pointer(settings))
	}
	var outputs, message *C.char
	status := C.zkinfer_run(model, input, settings, &outputs, &message)
	if err := failure(status, message); err != nil {
		return nil, err
	}
	text := C.GoString(outputs)
	C.zkinfer_free(unsafe.Pointer(outputs))
	var result []Output
	if err := json.Unmarshal([]byte(text), &result); err != nil {
		return nil, err
	}
	return result, nil
}

// Verify checks proof against the verifying key vk (the bytes of vk.bin and of a .proof file). An invalid,
// tampered, malformed or untrusted proof is a result with Valid false and the Reason; an error is returned
// only when no verdict is possible (a malformed key, a malformed trust option).
func Verify(vk, proof []byte, options *VerifyOptions) (*VerifyResult, error) {
	if options == nil {
		options = &VerifyOptions{}
	}
	// C copies of everything the call reads: cgo forbids passing Go memory holding Go pointers.
	cvk := C.CBytes(append([]byte{0}, vk...))
	cproof := C.CBytes(append([]byte{0}, proof...))
	defer C.free(cvk)
	defer C.free(cproof)
	var copts C.zkinfer_verify_options
	if options.AllowDevSRS {
		copts.allow_dev_srs = 1
	}
	if n := len(options.TrustedSRS); n > 0 {
		list := (*[1 << 20]*C.char)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))[:n:n]
		for i, identity := range options.TrustedSRS {
			list[i] = C.CString(identity)
		}
		defer func() {
			for _, p := range list {
				C.free(unsafe.Pointer(p))
			}
			C.free(unsafe.Pointer(&list[0]))
		}()
		copts.trusted_srs = &list[0]
		copts.trusted_srs_count = C.size_t(n)
	}
	if options.TrustedSRSFile != "" {
		copts.trusted_srs_file = C.CString(options.TrustedSRSFile)
		defer C.free(unsafe.Pointer(copts.trusted_srs_file))
	}
	var result C.zkinfer_verify_result
	var message *C.char
	status := C.zkinfer_verify((*C.uint8_t)(unsafe.Add(cvk, 1)), C.size_t(len(vk)), (*C.uint8_t)(unsafe.Add(cproof, 1)),
		C.size_t(len(proof)), &copts, &result, &message)
	if err := failure(status, message); err != nil {
		return nil, err
	}
	defer C.zkinfer_verify_result_free(&result)
	text := func(p *C.char) string {
		if p == nil {
			return ""
		}
		return C.GoString(p)
	}
	verdict := &VerifyResult{
		Valid: result.valid != 0, Malformed: result.malformed != 0, SRSTrusted: result.srs_trusted != 0,
		KeyFingerprint: text(result.key_fingerprint), ModelSHA256: text(result.model_sha256),
		SRSIdentity: text(result.srs_identity), Reason: text(result.reason),
	}
	if result.outputs_json != nil {
		if err := json.Unmarshal([]byte(C.GoString(result.outputs_json)), &verdict.Outputs); err != nil {
			return nil, err
		}
	}
	return verdict, nil
}
