# Two commands set everything up on a fresh Debian machine with the Swift toolchain:
#   make demo   — build, then run the main job on the default model
#   make test   — build and run the whole test suite (release, testing enabled)
# Not part of test: `make bench-peers` (ZKInfer vs EZKL side by side; bench/ezkl/README.md) and
# `make bench-scale` (the same on the scale ladder, LeNet-5 … ResNet-18; bench/scale/README.md).
SHELL := /bin/bash
SWIFT ?= swift
RELEASE := -c release
APT_PACKAGES := libgmp-dev libssl-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: deps build test demo bench bench-peers bench-scale ladder-models zoo-models clean

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

test: deps
	$(SWIFT) build $(RELEASE) -Xswiftc -enable-testing --build-tests
	$(SWIFT) test $(RELEASE) -Xswiftc -enable-testing --skip-build

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
	rm -rf .build
