# Two commands set everything up on a fresh Debian machine with the Swift toolchain:
#   make demo   — build, then run the main job on the default model
#   make test   — build and run the whole test suite (release, testing enabled)
SHELL := /bin/bash
SWIFT ?= swift
RELEASE := -c release
APT_PACKAGES := libgmp-dev libssl-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: deps build test demo bench clean

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

clean:
	rm -rf .build
