/// A proto3 enum as a Swift enum. Proto3 enums are open: a value this build does not know
/// arrives as `unrecognized(n)` and is sent back unchanged.
public protocol ProtoEnum: Sendable, Hashable, RawRepresentable where RawValue == Int32 {
    /// The enum's zero value.
    init()
    /// Every value the proto declares, in declaration order.
    static var knownCases: [Self] { get }
    /// The proto name of a known value (`COLOUR_RED`), nil for an unrecognized number.
    var protoName: String? { get }
    /// The known value with proto name `name`.
    init?(protoName name: String)
}

extension ProtoEnum {
    public init?(protoName name: String) {
        guard let match = Self.knownCases.first(where: { $0.protoName == name }) else { return nil }
        self = match
    }
}
