# Two commands set everything up on a fresh Debian machine with the Swift toolchain:
#   make demo   — build, then run the main job on the default model
#   make test   — build and run the whole test suite (release, testing enabled)
# Not part of test: `make bench-peers` (ZKInfer vs EZKL side by side; bench/ezkl/README.md), `make bench-scale`
# (the same on the scale ladder, LeNet-5 … ResNet-18; bench/scale/README.md) and `make fuzz`
# (libFuzzer on every decoder; Fuzz/README.md — CI runs a short smoke of it, .ci/run).
SHELL := /bin/bash
SWIFT ?= swift
RELEASE := -c release
APT_PACKAGES := libgmp-dev libssl-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: deps build test demo bench bench-peers fuzz bench-scale ladder-models zoo-models clean

# Installs the system libraries with apt when any is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; \
	fi

build: deps
	$(SWIFT) build $(RELEASE)

# The Swift tests, then the ONNX node-case conformance harness and crash test (bench/conformance/README.md),
# which installs its pinned Python packages into bench/.venv-test on first use, then the C, Python and Go
# binding tests (test-bindings, below).
test: deps
	$(SWIFT) build $(RELEASE) -Xswiftc -enable-testing --build-tests
	$(SWIFT) test $(RELEASE) -Xswiftc -enable-testing --skip-build
	python3 bench/conformance/run.py --zkinfer $$($(SWIFT) build $(RELEASE) -Xswiftc -enable-testing --show-bin-path)/zkinfer
	@$(MAKE) --no-print-directory test-bindings BUILD_FLAGS="-Xswiftc -enable-testing"

# The main job on the default model: compile, development SRS (generated once, INSECURE), setup, prove, verify.
DEMO_MODEL ?= circuits/mlp_tiny
DEMO_OUT := out/demo
demo: build
	@set -e; bin=$$($(SWIFT) build $(RELEASE) --show-bin-path); out=$(DEMO_OUT); mkdir -p $$out params; \
	now() { date +%s%N; }; ms() { echo $$(( ($$2 - $$1) / 1000000 )); }; \
	t0=$$(now); $$bin/zkinfer compile $(DEMO_MODEL)/model.onnx -o $$out/circuit.zkc; t1=$$(now); \
	k=$$($$bin/zkinfer stats $(DEMO_MODEL)/model.onnx --json | sed -n 's/.*"log2Rows":\([0-9]*\).*/\1/p'); \
	srs=params/dev-k$$k.srs; \
	if [ ! -f $$srs ]; then $$bin/zkinfer params dev --log2 $$k --out $$srs; fi; \
	t2=$$(now); $$bin/zkinfer setup $$out/circuit.zkc --params $$srs -o $$out; t3=$$(now); \
	$$bin/zkinfer prove $$out/circuit.zkc --pk $$out/pk.bin $(DEMO_MODEL)/input.json -o $$out/proof.bin; t4=$$(now); \
	$$bin/zkverify --vk $$out/vk.bin --proof $$out/proof.bin --allow-dev-srs; t5=$$(now); \
	echo; echo "demo summary ($(DEMO_MODEL), development SRS $$srs: INSECURE, for demonstration only)"; \
	echo "  compile $$(ms $$t0 $$t1) ms, setup $$(ms $$t2 $$t3) ms, prove $$(ms $$t3 $$t4) ms, verify $$(ms $$t4 $$t5) ms (whole processes)"; \
	echo "  proof file $$(wc -c < $$out/proof.bin) bytes; dequantized output in $$out/proof.bin.output.json"

bench: build
	@bin=$$($(SWIFT) build $(RELEASE) --show-bin-path); $$bin/zkbench all

# ZKInfer and EZKL on every model in circuits/, side by side (bench/ezkl/README.md). Builds ZKInfer in
# release, makes bench/.venv with the pinned ezkl/onnx/onnxruntime, writes bench/results/<date>.{json,md}.
# Pass options through BENCH_PEERS_ARGS, e.g. BENCH_PEERS_ARGS="--only mlp_tiny --update-readme".
bench-peers: deps
	python3 bench/ezkl/bench_peers.py $(BENCH_PEERS_ARGS)

# libFuzzer targets for every decoder of an input file (Fuzz/README.md): instrumented modules and one binary
# per target in .build/fuzz (never built by `build` or `test`), each run for FUZZ_SECONDS; fails on any
# crash, leak, timeout or allocation beyond the documented bounds (docs/proof-format.md, "Decoder bounds").
# FUZZ_TARGETS picks some of: onnx proof vk srs srs_halo2 srs_ptau circuit input_json settings_json.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz: deps
	Fuzz/fuzz.sh build
	Fuzz/fuzz.sh run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The scale ladder (issue 15): generated (not committed) into bench/scale/models/ by a seeded torch script,
# then ZKInfer and EZKL side by side with per-step timeouts and a memory limit; writes
# bench/results/<date>-scale.{json,md,png}. Options through BENCH_SCALE_ARGS, e.g.
# BENCH_SCALE_ARGS="--only lenet5,dense4m --ezkl-timeout 600 --update-readme".
bench-scale: deps ladder-models
	python3 bench/scale/bench_scale.py $(BENCH_SCALE_ARGS)

ladder-models:
	python3 bench/scale/make_ladder.py

# Regenerates circuits/zoo and circuits/seq (committed) from bench/models/make_zoo.py; `--check` compares.
zoo-models:
	python3 bench/models/make_zoo.py

clean:
	rm -rf .build lib python/zkinfer/lib python/build

# ---------------------------------------------------------------------------------------------------------
# Embedding and fleets (issue 18): the C library, its C / Python / Go tests, and a real Slurm array.
#   make lib             lib/libzkinfer.so (header include/zkinfer.h; the Swift runtime linked in)
#   make python          the library copied into python/zkinfer/lib/ — then `pip install ./python` works
#   make test-bindings   C program, pytest (venv python/.venv) and go test over the library; `make test` runs it
#   make test-slurm      a single-node Slurm cluster on this machine proves 12 inputs as a 3-task array and
#                        zkverify batch checks them (installs slurm-wlm and munge with apt when missing)
# BUILD_FLAGS: extra `swift build` flags; `make test` (and .ci/run for test-slurm) pass the test build's own,
# so that the library and binaries come out of the already built configuration instead of rebuilding it all.
BUILD_FLAGS ?=
FIXTURE := .build/bindings-fixture
PY_VENV := python/.venv
.PHONY: lib python bindings-fixture test-bindings test-c test-python test-go test-slurm

lib: deps
	$(SWIFT) build $(RELEASE) $(BUILD_FLAGS) --product ZKInferC
	@mkdir -p lib && install -m 0755 "$$($(SWIFT) build $(RELEASE) $(BUILD_FLAGS) --show-bin-path)/libZKInferC.so" lib/libzkinfer.so
	@echo "lib/libzkinfer.so (header: include/zkinfer.h)"

python: lib
	@mkdir -p python/zkinfer/lib && install -m 0755 lib/libzkinfer.so python/zkinfer/lib/libzkinfer.so
	@echo "python/zkinfer/lib/libzkinfer.so: now pip install ./python"

# mlp_tiny compiled, set up on a development SRS (INSECURE, tests only) and proved once, by the binaries.
bindings-fixture:
	@set -e; bin=$$($(SWIFT) build $(RELEASE) $(BUILD_FLAGS) --show-bin-path); f=$(FIXTURE); rm -rf $$f; mkdir -p $$f; \
	cp circuits/mlp_tiny/model.onnx circuits/mlp_tiny/input.json $$f/; \
	k=$$($$bin/zkinfer stats $$f/model.onnx --json | sed -n 's/.*"log2Rows":\([0-9]*\).*/\1/p'); \
	$$bin/zkinfer compile $$f/model.onnx -o $$f/circuit.zkc > /dev/null; \
	$$bin/zkinfer params dev --log2 $$k -o $$f/dev.srs > /dev/null 2>&1; \
	$$bin/zkinfer setup $$f/circuit.zkc --params $$f/dev.srs -o $$f > /dev/null 2>&1; \
	$$bin/zkinfer prove $$f/circuit.zkc --pk $$f/pk.bin $$f/input.json -o $$f/proof.bin > /dev/null; \
	echo "bindings fixture: $$f (mlp_tiny, 2^$$k rows, development SRS)"

test-bindings: lib bindings-fixture
	@set -e; t0=$$(date +%s); $(MAKE) --no-print-directory test-c; t1=$$(date +%s); \
	$(MAKE) --no-print-directory test-python; t2=$$(date +%s); \
	$(MAKE) --no-print-directory test-go; t3=$$(date +%s); \
	echo "bindings: C $$((t1 - t0)) s, Python $$((t2 - t1)) s, Go $$((t3 - t2)) s"

# A C program linked against lib/libzkinfer.so: verifies the fixture's proof, rejects a tampered one, proves.
test-c:
	cc -std=c11 -O1 -Wall -Wextra -Werror -pthread -Iinclude Tests/CABI/zkinfer_c_test.c -Llib -lzkinfer \
	  -Wl,-rpath,$(CURDIR)/lib -o .build/zkinfer_c_test
	.build/zkinfer_c_test $(FIXTURE)

# pytest over the installed package (`pip install ./python` into python/.venv, from PyPI: pytest, setuptools).
test-python: python
	@[ -x $(PY_VENV)/bin/python ] || python3 -m venv $(PY_VENV) || { rm -rf $(PY_VENV); echo "installing python3-venv"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv > /dev/null && \
	  python3 -m venv $(PY_VENV); }
	@$(PY_VENV)/bin/python -c "import pytest, setuptools" 2>/dev/null || \
	  $(PY_VENV)/bin/pip install --quiet --disable-pip-version-check pytest "setuptools>=61" wheel
	@$(PY_VENV)/bin/pip install --quiet --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps ./python
	@rm -rf python/build python/*.egg-info
	cd python/tests && ZKINFER_FIXTURE=$(CURDIR)/$(FIXTURE) ../../$(PY_VENV)/bin/python -m pytest -q -p no:cacheprovider .

# go test over the cgo package (golang-go from apt when `go` is missing).
test-go:
	@command -v go > /dev/null || { echo "installing golang-go"; $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends golang-go > /dev/null; }
	cd bindings/go && ZKINFER_FIXTURE=$(CURDIR)/$(FIXTURE) GOCACHE=$(CURDIR)/.build/go-cache GOFLAGS=-mod=mod go test -count=1 -v ./...

test-slurm: deps
	$(SWIFT) build $(RELEASE) $(BUILD_FLAGS)
	deploy/slurm/test-slurm.sh "$$($(SWIFT) build $(RELEASE) $(BUILD_FLAGS) --show-bin-path)"
