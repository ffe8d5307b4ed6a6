/// The toolkit's version, reported by `zkinfer version` and recorded in keys and proofs' metadata.
public enum ZKInferVersion {
    public static let string = "0.1.0"
}
