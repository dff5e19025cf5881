/// A small deterministic generator for seeded fuzzing: the same seed gives the same inputs,
/// so a failure reproduces (Steele, Lea & Flood's SplitMix64).
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Between 0 and `maxCount` random bytes.
    public mutating func bytes(maxCount: Int) -> [UInt8] {
        (0..<Int(next() % UInt64(maxCount + 1))).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// One element of `choices`, uniformly.
    public mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(next() % UInt64(choices.count))]
    }
}
