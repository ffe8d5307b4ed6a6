import ConstraintSystem
import FieldArithmetic
import KZG
import PlonkVerifier

@testable import PlonkProver

/// Keys and honest proofs shared by the tests (built once per test process).
enum Fixtures {
    static let feature = try! FeatureCircuit()
    static let featureKey = try! KeyGeneration.generate(
        circuit: feature.circuit, srs: TestSRS.make(log2Size: feature.circuit.log2Rows))
    static let featureProof = try! PlonkProver.prove(
        key: featureKey, circuit: feature.circuit, assignment: feature.assignment(), witness: feature.phase2)

    static let publicFold = try! PublicFoldCircuit()
    static let publicFoldKey = try! KeyGeneration.generate(
        circuit: publicFold.circuit, srs: TestSRS.make(log2Size: publicFold.circuit.log2Rows))

    static func publicFoldProof(x: [Int64] = [12, -5, 7, 3]) throws -> ProofFile {
        try PlonkProver.prove(
            key: publicFoldKey, circuit: publicFold.circuit, assignment: publicFold.assignment(x: x),
            witness: publicFold.phase2)
    }
}
