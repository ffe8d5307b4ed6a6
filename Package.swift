// swift-tools-version:6.0
// ZKInfer: verifiable inference for small fixed-point neural networks.
// Read top to bottom, this file is the pipeline: algebra → commitments → arithmetization → proof system
// → models → compiler → commands. Imports only go down this list.
//
// Language mode: Swift 5 for every target (see docs/engineering.md). Kernels write disjoint parts of shared
// buffers from `DispatchQueue.concurrentPerform`; Swift 6 strict concurrency would force unsafe wrappers
// around every such loop without making them any safer.
import PackageDescription

/// Arithmetic kernels: no bounds/overflow checks in release, inlined across modules.
/// Never applied to a target that decodes untrusted bytes.
let kernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-cross-module-optimization", "-target-cpu", "broadwell"], .when(configuration: .release)),
]
/// The command-line tools link the Swift runtime statically (Linux): with no Foundation to pull in, that
/// halves their start-up (~3 ms instead of ~6) and saves ~2.5 MB of resident memory per process.
let toolLinkerSettings: [LinkerSetting] = [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux]))]
/// Ordinary targets keep all checks; cross-module optimisation still helps their calls into kernels.
let checkedSettings: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "ZKInfer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zkinfer", targets: ["zkinfer"]),
        .executable(name: "zkbench", targets: ["zkbench"]),
        .executable(name: "zkverify", targets: ["zkverify"]),
        // The C ABI (include/zkinfer.h): .build/release/libZKInferC.so, installed as lib/libzkinfer.so by
        // `make lib` (its soname). Not named "zkinfer": a library product may not share the executable's name.
        .library(name: "ZKInferC", type: .dynamic, targets: ["ZKInferC"]),
    ],
    targets: [
        // C shims: module maps over system libraries.
        .systemLibrary(name: "CGMP", pkgConfig: "gmp", providers: [.apt(["libgmp-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // include/zkinfer.h as a module, for the C ABI's struct types.
        .systemLibrary(name: "CZKInfer"),

        // Algebra.
        // Montgomery multiplication in x86-64 assembly (MULX/ADCX/ADOX): two carry chains, which Swift cannot express.
        .target(name: "CFieldKernels"),
        .target(name: "FieldArithmetic", dependencies: ["CGMP", "CFieldKernels"], swiftSettings: kernelSettings),
        .target(name: "CryptoPrimitives", dependencies: ["COpenSSL"], swiftSettings: checkedSettings),
        .target(name: "BN254", dependencies: ["FieldArithmetic"], swiftSettings: kernelSettings),
        .target(name: "Parallelism", swiftSettings: kernelSettings),
        .target(name: "Polynomials", dependencies: ["FieldArithmetic", "Parallelism", "CFieldKernels"], swiftSettings: kernelSettings),
        .target(name: "MSM", dependencies: ["BN254", "FieldArithmetic", "Parallelism", "CFieldKernels"], swiftSettings: kernelSettings),

        // Commitments. KZG reads SRS files (untrusted bytes): checked settings.
        .target(
            name: "KZG", dependencies: ["BN254", "FieldArithmetic", "Polynomials", "MSM", "Parallelism", "CryptoPrimitives"],
            swiftSettings: checkedSettings),

        // Multilinear (monomial-basis) evaluation proofs over the same KZG SRS: Gemini. The committed-weight
        // linear argument (docs/protocol.md §19) opens its weight polynomials with it.
        .target(
            name: "MultilinearKZG", dependencies: ["BN254", "FieldArithmetic", "MSM", "Parallelism", "Transcript"],
            swiftSettings: checkedSettings),

        // Arithmetization: columns, gates, copies, lookups, challenge columns, checker. No curves.
        .target(name: "ConstraintSystem", dependencies: ["FieldArithmetic", "Parallelism"], swiftSettings: checkedSettings),

        // Files, environment and a small JSON reader over the C library: no target of the tools imports
        // Foundation (start-up time and resident memory; docs/engineering.md).
        .target(name: "SystemSupport", swiftSettings: checkedSettings),

        // Models: IR → ONNX import → fixed-point spec → direct (unproven) inference.
        .target(name: "ModelGraph", swiftSettings: checkedSettings),
        .target(name: "ONNXImport", dependencies: ["ModelGraph", "SystemSupport"], swiftSettings: checkedSettings),
        // The rounding rules, settings and input-file format: all `zkverify --input` needs to quantize an input.
        .target(name: "FixedPointCore", dependencies: ["SystemSupport"], swiftSettings: checkedSettings),
        .target(
            name: "Quantization", dependencies: ["ModelGraph", "FixedPointCore", "SystemSupport"],
            swiftSettings: checkedSettings),
        .target(name: "DirectInference", dependencies: ["Quantization", "SystemSupport"], swiftSettings: checkedSettings),

        // Compiler: model → circuit (gadgets, layout, witness from the direct path's trace, statistics).
        .target(
            name: "CircuitCompiler",
            dependencies: ["ConstraintSystem", "FieldArithmetic", "DirectInference", "Quantization", "ModelGraph", "MSM", "Parallelism"],
            swiftSettings: checkedSettings),

        // Proof system. The verifier defines the protocol (transcript order, key and proof formats); the
        // prover depends on it, never the reverse, so `zkverify` links no prover code. The verifier reaches
        // MSM, Polynomials and Parallelism through KZG (one target), though it only calls `msm` itself. It
        // links MultilinearKZG for `Gemini.verify` (protocol §19.5); `Gemini.prove` sits in the same small
        // target, but no verifier code path calls it.
        .target(
            name: "Transcript", dependencies: ["CryptoPrimitives", "BN254", "FieldArithmetic"],
            swiftSettings: checkedSettings),
        .target(
            name: "PlonkVerifier",
            dependencies: [
                "ConstraintSystem", "KZG", "MSM", "MultilinearKZG", "Parallelism", "Transcript", "BN254", "FieldArithmetic",
                "CryptoPrimitives",
            ],
            swiftSettings: checkedSettings),
        .target(
            name: "PlonkProver",
            dependencies: [
                "PlonkVerifier", "ConstraintSystem", "KZG", "MSM", "MultilinearKZG", "Polynomials", "Parallelism", "Transcript",
                "BN254", "FieldArithmetic", "CryptoPrimitives", "SystemSupport",
            ],
            swiftSettings: checkedSettings),

        // The verifying key's model description (scales, instance layout, hashes): written by the compiler's
        // pipeline, read by zkverify, which must not link the prover.
        .target(
            name: "ModelMetadata", dependencies: ["PlonkVerifier", "FieldArithmetic", "CryptoPrimitives"],
            swiftSettings: checkedSettings),
        // Pipeline facade: circuit files, compile → setup → prove.
        .target(
            name: "ZKInferKit",
            dependencies: [
                "CircuitCompiler", "ModelMetadata", "PlonkProver", "PlonkVerifier", "KZG", "ONNXImport", "DirectInference",
                "Quantization", "ModelGraph", "ConstraintSystem", "FieldArithmetic", "CryptoPrimitives", "SystemSupport",
                "Parallelism",
            ],
            swiftSettings: checkedSettings),

        // Embedding: the C ABI over ZKInferKit (the only target that speaks C). Linked with the Swift runtime
        // inside, so that Python (ctypes) and Go (cgo) load one self-contained shared object. Its verify path
        // calls PlonkVerifier only; prover code runs only in zkinfer_prove.
        .target(
            name: "ZKInferC",
            dependencies: [
                "CZKInfer", "ZKInferKit", "CommandLineSupport", "CircuitCompiler", "DirectInference", "FieldArithmetic", "KZG",
                "ModelGraph", "ModelMetadata", "ONNXImport", "PlonkProver", "PlonkVerifier", "Quantization", "SystemSupport",
            ],
            swiftSettings: checkedSettings,
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xlinker", "-soname=libzkinfer.so"], .when(platforms: [.linux]))]),

        // Application support.
        .target(name: "CommandLineSupport", dependencies: ["SystemSupport"], swiftSettings: checkedSettings),

        // Executables.
        .executableTarget(
            name: "zkinfer",
            dependencies: [
                "CommandLineSupport", "FieldArithmetic", "BN254", "CryptoPrimitives", "KZG",
                "ONNXImport", "Quantization", "DirectInference", "CircuitCompiler", "ZKInferKit", "ModelMetadata",
                "PlonkProver", "PlonkVerifier", "SystemSupport",
            ],
            swiftSettings: checkedSettings, linkerSettings: toolLinkerSettings),
        .executableTarget(
            name: "zkverify",
            dependencies: [
                "PlonkVerifier", "CommandLineSupport", "ConstraintSystem", "FieldArithmetic", "BN254", "CryptoPrimitives",
                "KZG", "ModelMetadata", "FixedPointCore", "SystemSupport",
            ],
            swiftSettings: checkedSettings, linkerSettings: toolLinkerSettings),
        // Yardstick for benchmarks only: the plain C __int128 Montgomery multiplication the Swift
        // kernels are measured against. Nothing in the product links it.
        .target(
            name: "CYardstick", path: "bench/CYardstick",
            cSettings: [.unsafeFlags(["-O3", "-march=native"])]),
        .executableTarget(
            name: "zkbench",
            dependencies: [
                "FieldArithmetic", "BN254", "CryptoPrimitives", "CommandLineSupport", "CYardstick", "CGMP",
                "Parallelism", "Polynomials", "MSM", "KZG", "ConstraintSystem", "PlonkVerifier", "PlonkProver",
                "MultilinearKZG", "Transcript",
            ],
            path: "bench/zkbench",
            swiftSettings: kernelSettings),

        // Tests. `TestSupport` holds what several test targets share (the seeded generator, the committed-fold
        // test circuit, running a built tool).
        .target(
            name: "TestSupport", dependencies: ["FieldArithmetic", "ConstraintSystem"], path: "Tests/TestSupport",
            exclude: ["README.md"]),
        .testTarget(name: "FieldArithmeticTests", dependencies: ["TestSupport", "FieldArithmetic"]),
        .testTarget(name: "CryptoPrimitivesTests", dependencies: ["CryptoPrimitives"]),
        .testTarget(
            name: "BN254Tests", dependencies: ["TestSupport", "BN254", "FieldArithmetic"], exclude: ["Vectors"]),
        .testTarget(name: "CommandLineSupportTests", dependencies: ["CommandLineSupport", "SystemSupport"]),
        .testTarget(name: "ConstraintSystemTests", dependencies: ["TestSupport", "ConstraintSystem", "FieldArithmetic"]),
        .testTarget(name: "ModelGraphTests", dependencies: ["ModelGraph"]),
        .testTarget(name: "ONNXImportTests", dependencies: ["ONNXImport", "ModelGraph", "DirectInference", "Quantization"], exclude: ["Fixtures"]),
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization", "ModelGraph"]),
        .testTarget(
            name: "DirectInferenceTests", dependencies: ["DirectInference", "Quantization", "ONNXImport", "ModelGraph"],
            exclude: ["Vectors"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TestSupport", "ZKInferKit", "CircuitCompiler", "ModelMetadata", "PlonkProver", "PlonkVerifier", "KZG", "ONNXImport",
                "DirectInference", "Quantization", "ModelGraph", "FieldArithmetic",
            ]),
        .testTarget(
            name: "CircuitCompilerTests",
            dependencies: ["CircuitCompiler", "ConstraintSystem", "FieldArithmetic", "DirectInference", "Quantization",
                           "ONNXImport", "ModelGraph"]),
        .testTarget(
            name: "TranscriptTests", dependencies: ["Transcript", "BN254", "FieldArithmetic"], exclude: ["Vectors"]),
        .testTarget(
            name: "PlonkTests",
            dependencies: ["TestSupport", 
                "PlonkProver", "PlonkVerifier", "ConstraintSystem", "KZG", "BN254", "FieldArithmetic", "Parallelism",
                "Transcript",
            ],
            exclude: ["Fixtures"]),
        // Attacks through the real prover and verifier (issue 14): cheating witnesses, wrong round orders,
        // zero knowledge, batch cancellation, boundary settings, public-value bounds, SRS trust, mutated files
        // through `zkverify`, and the committed linear relation's fold and weight opening (protocol §19). Each
        // test cites the protocol sections it attacks.
        .testTarget(
            name: "AdversarialTests",
            dependencies: [
                "TestSupport", "ZKInferKit", "CircuitCompiler", "ModelMetadata",
                "PlonkProver", "PlonkVerifier", "ConstraintSystem", "KZG", "MSM", "MultilinearKZG", "BN254", "FieldArithmetic",
                "Transcript", "Polynomials", "Parallelism", "CryptoPrimitives", "ONNXImport", "DirectInference", "Quantization",
                "ModelGraph",
            ]),
        // The tools as a user runs them (prove-batch, zkverify batch streaming, help, stats --html) and the
        // batch input stream (sharding, JSON Lines).
        .testTarget(name: "ToolTests", dependencies: ["ZKInferKit", "SystemSupport"]),
        .testTarget(name: "PolynomialsTests", dependencies: ["TestSupport", "Polynomials", "Parallelism", "FieldArithmetic"]),
        .testTarget(name: "MSMTests", dependencies: ["TestSupport", "MSM", "BN254", "Parallelism", "FieldArithmetic"]),
        .testTarget(
            name: "MultilinearKZGTests",
            dependencies: ["TestSupport", "MultilinearKZG", "KZG", "MSM", "ConstraintSystem", "BN254", "FieldArithmetic", "Transcript"]),
        .testTarget(
            name: "KZGTests",
            dependencies: ["TestSupport", "KZG", "MSM", "Polynomials", "BN254", "FieldArithmetic", "Parallelism", "CryptoPrimitives"],
            exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
