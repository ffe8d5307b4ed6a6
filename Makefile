# Two commands set everything up on a fresh Debian machine with the Swift toolchain:
#   make demo   — build, then run the main job on the default model
#   make test   — build and run the whole test suite (release, testing enabled)
# Not part of test: `make bench-peers` (ZKInfer vs EZKL side by side; bench/ezkl/README.md).
SHELL := /bin/bash
SWIFT ?= swift
RELEASE := -c release
APT_PACKAGES := libgmp-dev libssl-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: deps build test demo bench bench-peers clean

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

demo: build
	@bin=$$($(SWIFT) build $(RELEASE) --show-bin-path); \
	$$bin/zkinfer selfcheck && $$bin/zkbench arith --quick

bench: build
	@bin=$$($(SWIFT) build $(RELEASE) --show-bin-path); $$bin/zkbench all

# ZKInfer and EZKL on every model in circuits/, side by side (bench/ezkl/README.md). Builds ZKInfer in
# release, makes bench/.venv with the pinned ezkl/onnx/onnxruntime, writes bench/results/<date>.{json,md}.
# Pass options through BENCH_PEERS_ARGS, e.g. BENCH_PEERS_ARGS="--only mlp_tiny --update-readme".
bench-peers: deps
	python3 bench/ezkl/bench_peers.py $(BENCH_PEERS_ARGS)

clean:
	rm -rf .build
