import QuantumTypes

/// One section of a composite answer: its value when the downstream answered, and its status.
public struct Section<Value: Sendable>: Sendable {
    public var value: Value?
    public var status: SectionStatus

    public init(value: Value?, status: SectionStatus) {
        self.value = value
        self.status = status
    }

    /// The value, or `fallback` when the section has none (failed, withheld, not applicable).
    public func value(or fallback: Value) -> Value { value ?? fallback }

    /// The same status with the value transformed.
    public func map<Other: Sendable>(_ transform: (Value) -> Other) -> Section<Other> {
        Section<Other>(value: value.map(transform), status: status)
    }
}
