import CProtobufC
import CProtos

/// `google.protobuf.Timestamp`: an instant, as seconds and nanoseconds since the Unix epoch (UTC).
public struct Timestamp: Sendable, Hashable, Comparable {
    /// Whole seconds since 1970-01-01T00:00:00Z (may be negative).
    public var seconds: Int64
    /// Nanoseconds within the second, 0 ..< 1_000_000_000.
    public var nanos: Int32

    public init(seconds: Int64 = 0, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }

    package init(c: UnsafePointer<Google__Protobuf__Timestamp>) {
        self.init(seconds: c.pointee.seconds, nanos: c.pointee.nanos)
    }

    package func lower(into arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__Timestamp> {
        let c = arena.allocate(Google__Protobuf__Timestamp.self)
        google__protobuf__timestamp__init(c)
        c.pointee.seconds = seconds
        c.pointee.nanos = nanos
        return c
    }
}

/// `google.protobuf.Duration`: a signed span of time (named so it does not shadow Swift's `Duration`).
public struct ProtoDuration: Sendable, Hashable, Comparable {
    /// Whole seconds.
    public var seconds: Int64
    /// Nanoseconds, with the same sign as `seconds`.
    public var nanos: Int32

    public init(seconds: Int64 = 0, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// A proto duration from a Swift one (attosecond precision truncated to nanoseconds).
    public init(_ duration: Swift.Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(seconds: seconds, nanos: Int32(attoseconds / 1_000_000_000))
    }

    /// The Swift equivalent.
    public var swiftDuration: Swift.Duration { .seconds(seconds) + .nanoseconds(Int64(nanos)) }

    public static func < (lhs: ProtoDuration, rhs: ProtoDuration) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }

    package init(c: UnsafePointer<Google__Protobuf__Duration>) {
        self.init(seconds: c.pointee.seconds, nanos: c.pointee.nanos)
    }

    package func lower(into arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__Duration> {
        let c = arena.allocate(Google__Protobuf__Duration.self)
        google__protobuf__duration__init(c)
        c.pointee.seconds = seconds
        c.pointee.nanos = nanos
        return c
    }
}

/// `google.protobuf.FieldMask`: the field paths an update touches (proto field names, dotted).
public struct FieldMask: Sendable, Hashable {
    /// Paths such as `display_name` or `contact.email`.
    public var paths: [String]

    public init(paths: [String] = []) {
        self.paths = paths
    }

    /// Whether `path` is in the mask.
    public func contains(_ path: String) -> Bool { paths.contains(path) }

    package init(c: UnsafePointer<Google__Protobuf__FieldMask>) {
        self.init(paths: CConvert.array(c.pointee.n_paths, c.pointee.paths) { CConvert.string($0) })
    }

    package func lower(into arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__FieldMask> {
        let c = arena.allocate(Google__Protobuf__FieldMask.self)
        google__protobuf__field_mask__init(c)
        c.pointee.n_paths = paths.count
        if let array = arena.allocateArray(UnsafeMutablePointer<CChar>?.self, count: paths.count) {
            for (index, path) in paths.enumerated() { array[index] = arena.cString(path) }
            c.pointee.paths = array
        }
        return c
    }
}

/// `google.protobuf.Empty`: a message with no fields.
public struct ProtoEmpty: Sendable, Hashable {
    public init() {}

    package init(c: UnsafePointer<Google__Protobuf__Empty>) {}

    package func lower(into arena: CArena) -> UnsafeMutablePointer<Google__Protobuf__Empty> {
        let c = arena.allocate(Google__Protobuf__Empty.self)
        google__protobuf__empty__init(c)
        return c
    }
}
