/// Message compression named by `grpc-encoding` / `grpc-accept-encoding`.
public enum CompressionAlgorithm: String, Sendable, Hashable, CaseIterable {
    case identity
    case gzip
    case deflate

    /// The wire name, as in `grpc-encoding: gzip`.
    public var name: String { rawValue }
}
