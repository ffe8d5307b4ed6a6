package zkinfer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fixture is the directory `make bindings-fixture` fills (mlp_tiny, development SRS).
func fixture(t *testing.T) string {
	dir := os.Getenv("ZKINFER_FIXTURE")
	if dir == "" {
		dir = filepath.Join("..", "..", ".build", "bindings-fixture")
	}
	if _, err := os.Stat(filepath.Join(dir, "vk.bin")); err != nil {
		t.Fatalf("no fixture in %s: run `make bindings-fixture` (make test does)", dir)
	}
	return dir
}

func read(t *testing.T, dir, name string) []byte {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyShippedProofAndTrust(t *testing.T) {
	dir := fixture(t)
	vk, proof := read(t, dir, "vk.bin"), read(t, dir, "proof.bin")
	r, err := Verify(vk, proof, &VerifyOptions{AllowDevSRS: true})
	if err != nil || !r.Valid || r.Reason != "" || len(r.KeyFingerprint) != 64 || len(r.Outputs) != 1 {
		t.Fatalf("valid proof: %+v, %v", r, err)
	}
	if len(r.Outputs[0].Values) != 4 || len(r.Outputs[0].Fixed) != 4 {
		t.Fatalf("outputs %+v", r.Outputs)
	}
	refused, err := Verify(vk, proof, nil)
	if err != nil || refused.Valid || !strings.Contains(refused.Reason, "not trusted") || refused.SRSIdentity != r.SRSIdentity {
		t.Fatalf("untrusted SRS: %+v, %v", refused, err)
	}
	trusted, err := Verify(vk, proof, &VerifyOptions{TrustedSRS: []string{r.SRSIdentity}})
	if err != nil || !trusted.Valid || !trusted.SRSTrusted {
		t.Fatalf("trusted identity: %+v, %v", trusted, err)
	}
}

func TestTamperedAndMalformed(t *testing.T) {
	dir := fixture(t)
	vk, proof := read(t, dir, "vk.bin"), read(t, dir, "proof.bin")
	tampered := append([]byte(nil), proof...)
	tampered[len(tampered)-40] ^= 1
	r, err := Verify(vk, tampered, &VerifyOptions{AllowDevSRS: true})
	if err != nil || r.Valid || r.Reason == "" {
		t.Fatalf("tampered: %+v, %v", r, err)
	}
	r, err = Verify(vk, proof[:len(proof)-9], &VerifyOptions{AllowDevSRS: true})
	if err != nil || r.Valid || !r.Malformed {
		t.Fatalf("truncated: %+v, %v", r, err)
	}
	_, err = Verify(vk[:len(vk)/2], proof, &VerifyOptions{AllowDevSRS: true})
	var zerr *Error
	if !errors.As(err, &zerr) || zerr.Name != "ZKINFER_ERROR_MALFORMED" || !strings.Contains(zerr.Message, "verifying key") {
		t.Fatalf("malformed key: %v", err)
	}
}

func TestProveThenVerify(t *testing.T) {
	dir := fixture(t)
	input := read(t, dir, "input.json")
	proof, err := Prove(filepath.Join(dir, "circuit.zkc"), filepath.Join(dir, "pk.bin"), input)
	if err != nil || len(proof) == 0 {
		t.Fatalf("prove: %v", err)
	}
	r, err := Verify(read(t, dir, "vk.bin"), proof, &VerifyOptions{AllowDevSRS: true})
	if err != nil || !r.Valid {
		t.Fatalf("verify new proof: %+v, %v", r, err)
	}
	outputs, err := Run(filepath.Join(dir, "model.onnx"), input, "")
	if err != nil || len(outputs) != 1 {
		t.Fatalf("run: %v", err)
	}
	for i, v := range outputs[0].Fixed {
		if v != r.Outputs[0].Fixed[i] {
			t.Fatalf("run and proof disagree: %v vs %v", outputs[0].Fixed, r.Outputs[0].Fixed)
		}
	}
	_, err = Prove(filepath.Join(dir, "circuit.zkc"), filepath.Join(dir, "pk.bin"), []byte(`{"input_data": [[1e9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]}`))
	var zerr *Error
	if !errors.As(err, &zerr) || zerr.Name != "ZKINFER_ERROR_OUT_OF_RANGE" {
		t.Fatalf("out of range: %v", err)
	}
}

func TestConcurrentVerify(t *testing.T) {
	dir := fixture(t)
	vk, proof := read(t, dir, "vk.bin"), read(t, dir, "proof.bin")
	var wg sync.WaitGroup
	valid := make([]bool, 4)
	for i := range valid {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r, err := Verify(vk, proof, &VerifyOptions{AllowDevSRS: true})
			valid[i] = err == nil && r.Valid
		}(i)
	}
	wg.Wait()
	for i, v := range valid {
		if !v {
			t.Fatalf("goroutine %d: not valid", i)
		}
	}
}

func TestVersion(t *testing.T) {
	if !strings.Contains(Version(), ".") {
		t.Fatalf("version %q", Version())
	}
}
