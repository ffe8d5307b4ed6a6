#!/usr/bin/env bash
# libFuzzer targets for every decoder of an input file (Fuzz/README.md).
#
#   Fuzz/fuzz.sh build                      instrumented modules + one binary per target in .build/fuzz/bin
#   Fuzz/fuzz.sh run SECONDS [TARGET ...]   each target for SECONDS; exit 1 on any crash, leak, timeout,
#                                           oversized allocation or RSS overrun (artifacts: .build/fuzz/artifacts)
#
# The library modules are built once by SwiftPM into their own build path with coverage instrumentation and
# AddressSanitizer (`-sanitize=fuzzer,address`: ASan gives libFuzzer the malloc hooks -malloc_limit_mb needs,
# and LeakSanitizer); each target is one small file in Fuzz/targets linked against their objects. Plain
# `swift build` and `make test` never see these files.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=.build/fuzz
SANITIZE=fuzzer,address
TARGETS=(onnx proof vk srs srs_halo2 srs_ptau circuit input_json settings_json)

# Limits (docs/proof-format.md, "Decoder bounds"): the seeds are at most a few KB to a few tens of KB and
# inputs at most FUZZ_MAX_LEN bytes, so every documented bound is far below one allocation of
# FUZZ_MALLOC_MB; a larger single allocation, an RSS above FUZZ_RSS_MB or an input taking more than
# FUZZ_TIMEOUT seconds is a finding.
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-65536}
FUZZ_MALLOC_MB=${FUZZ_MALLOC_MB:-256}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
# FUZZ_RUNS=N also stops each target after N executions (whichever of time and runs comes first).
FUZZ_RUNS=${FUZZ_RUNS:--1}

build() {
    swift build -c release --build-path "$BUILD" -Xswiftc -sanitize=$SANITIZE --target ZKInferKit
    local bin objects=()
    bin=$(swift build -c release --build-path "$BUILD" --show-bin-path)
    # Only ZKInferKit's closure is built here: every library target a decoder reaches.
    objects=("$bin"/*.build/*.o)
    mkdir -p "$BUILD/bin"
    for t in "${TARGETS[@]}"; do
        local out="$BUILD/bin/$t"
        if [ -x "$out" ] && [ -z "$(find "Fuzz/targets/$t.swift" Fuzz/targets/Shared "${objects[@]}" -newer "$out" -print -quit)" ]; then
            continue
        fi
        echo "linking fuzz target $t"
        # The linker warns about every ASan-internal symbol; its output is shown only if linking fails.
        if ! swiftc -O -sanitize=$SANITIZE -parse-as-library -module-name "Fuzz_$t" \
            "Fuzz/targets/$t.swift" Fuzz/targets/Shared/*.swift \
            -I "$bin/Modules" \
            -Xcc -fmodule-map-file=Sources/CGMP/module.modulemap -Xcc -fmodule-map-file=Sources/COpenSSL/module.modulemap \
            -Xcc -fmodule-map-file="$bin/CFieldKernels.build/module.modulemap" \
            "${objects[@]}" -lgmp -lcrypto -o "$out" >"$BUILD/link-$t.log" 2>&1; then
            grep -v 'warning: Cannot export local symbol' "$BUILD/link-$t.log" >&2
            return 1
        fi
    done
}

run() {
    local seconds=$1
    shift
    local targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=("${TARGETS[@]}")
    local failed=()
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/zkinfer-fuzz.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
    for t in "${targets[@]}"; do
        mkdir -p "$BUILD/corpus/$t" "$BUILD/artifacts/$t" "$BUILD/logs"
        echo "== fuzz $t: ${seconds}s"
        # New inputs go to the first (scratch) corpus directory; the committed seeds are only read.
        if ZKINFER_FUZZ_SCRATCH=$scratch ASAN_OPTIONS=detect_leaks=1 \
            "$BUILD/bin/$t" -max_total_time="$seconds" -runs="$FUZZ_RUNS" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb="$FUZZ_RSS_MB" \
            -malloc_limit_mb="$FUZZ_MALLOC_MB" -max_len="$FUZZ_MAX_LEN" -print_final_stats=1 \
            -artifact_prefix="$BUILD/artifacts/$t/" "$BUILD/corpus/$t" "Fuzz/corpus/$t" \
            >"$BUILD/logs/$t.log" 2>&1; then
            grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$BUILD/logs/$t.log" \
                | sed 's/^stat:://; s/  */ /g' | tr '\n' ' '
            echo
        else
            failed+=("$t")
            tail -40 "$BUILD/logs/$t.log"
        fi
    done
    if [ ${#failed[@]} -gt 0 ]; then
        echo "fuzz: FAILED: ${failed[*]} (inputs in $BUILD/artifacts/<target>/, logs in $BUILD/logs/)"
        return 1
    fi
    echo "fuzz: ${#targets[@]} targets, no findings"
}

case "${1:-}" in
    build) build ;;
    run) shift; run "$@" ;;
    *) echo "usage: Fuzz/fuzz.sh build | run SECONDS [TARGET ...]" >&2; exit 2 ;;
esac
