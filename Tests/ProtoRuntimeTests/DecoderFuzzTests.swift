import AssetAPI
import CustomerAPI
import FieldKindsTesting
import FinanceAPI
import FuzzSupport
import GatewayAPI
import GRPCHealthV1
import GRPCReflectionV1
import GRPCReflectionV1Alpha
import GRPCTesting
import MeteringAPI
import OutageAPI
import ProtoRuntime
import QuantumTypes
import XCTest

/// Seeded, time-bounded fuzzing of protobuf-c decoding (and our conversion to Swift) for every
/// generated message type: random bytes, protobuf-shaped random fields (nested, repeated,
/// mismatched wire types) and mutations of inputs that decoded. No input may crash; whatever
/// decodes must re-encode to bytes that decode to the same encoding (a stable round trip).
final class DecoderFuzzTests: XCTestCase {
    static let allMessageTypes: [any ProtoMessage.Type] =
        QuantumTypesDescriptors.messageTypes + CustomerAPIDescriptors.messageTypes + MeteringAPIDescriptors.messageTypes
        + AssetAPIDescriptors.messageTypes + OutageAPIDescriptors.messageTypes + FinanceAPIDescriptors.messageTypes
        + GatewayAPIDescriptors.messageTypes + FieldKindsTestingDescriptors.messageTypes
        + GRPCHealthV1Descriptors.messageTypes + GRPCReflectionV1Descriptors.messageTypes
        + GRPCReflectionV1AlphaDescriptors.messageTypes + GRPCTestingDescriptors.messageTypes

    /// Change the seed (or set QE_FUZZ_SEED) to explore; failures print the seed and input.
    private let seed = UInt64(ProcessInfo.processInfo.environment["QE_FUZZ_SEED"] ?? "") ?? 0xF022_0001
    private let timeBudget = Duration.seconds(Double(ProcessInfo.processInfo.environment["QE_FUZZ_SECONDS"] ?? "") ?? 4)

    func testEveryGeneratedMessageTypeIsListed() {
        XCTAssertGreaterThan(Self.allMessageTypes.count, 300)
        let names = Self.allMessageTypes.map { $0.protoMessageName }
        XCTAssertEqual(Set(names).count, names.count, "a message type listed twice")
    }

    func testHostileBytesNeverCrashTheDecoderOfAnyMessageType() throws {
        var generator = SplitMix64(seed: seed)
        let started = ContinuousClock.now
        var decodes = 0, accepted = 0, rounds = 0
        // Every type gets at least one full round; further rounds while the budget lasts.
        repeat {
            for type in Self.allMessageTypes {
                var corpus: [[UInt8]] = [type.init().protobufBytes()]
                for attempt in 0..<12 {
                    let input: [UInt8]
                    switch attempt % 3 {
                    case 0: input = generator.bytes(maxCount: 96)
                    case 1: input = ProtobufShapedBytes.make(&generator, depth: 3)
                    default: input = mutate(generator.pick(corpus), &generator)
                    }
                    decodes += 1
                    if try decode(input, as: type) { accepted += 1; corpus.append(input) }
                }
            }
            rounds += 1
        } while ContinuousClock.now - started < timeBudget
        print("DecoderFuzzTests: seed \(seed), \(Self.allMessageTypes.count) types, \(rounds) rounds, \(decodes) inputs, \(accepted) decoded")
        XCTAssertGreaterThan(accepted, 0, "nothing ever decoded: the generator is broken")
        XCTAssertLessThan(accepted, decodes, "everything decoded: the inputs are not hostile")
    }

    /// Deep nesting of one length-delimited field: protobuf-c recurses per nested message, so a
    /// recursive message type would overflow the stack; none of ours may be (this must not crash).
    func testDeeplyNestedInputDoesNotCrash() throws {
        var nested: [UInt8] = []
        for _ in 0..<2_000 { nested = [0x0A] + ProtobufShapedBytes.varint(UInt64(nested.count)) + nested }
        for type in Self.allMessageTypes { _ = try decode(nested, as: type) }
    }

    /// True when `bytes` decoded; then its encoding must round-trip to itself.
    private func decode(_ bytes: [UInt8], as type: any ProtoMessage.Type) throws -> Bool {
        guard let message = try? type.init(protobufBytes: bytes) else { return false }
        let encoded = message.protobufBytes()
        let again = try type.init(protobufBytes: encoded).protobufBytes()
        XCTAssertEqual(again, encoded, "\(type.protoMessageName) (seed \(seed)): unstable round trip of \(bytes)")
        return true
    }

    /// Flip, truncate, duplicate or splice.
    private func mutate(_ input: [UInt8], _ generator: inout SplitMix64) -> [UInt8] {
        var bytes = input
        let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count))
        switch generator.next() % 5 {
        case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(truncatingIfNeeded: 1 << (generator.next() % 8))
        case 1: bytes = Array(bytes.prefix(position))
        case 2: bytes += bytes
        case 3: bytes.insert(contentsOf: ProtobufShapedBytes.make(&generator, depth: 1), at: position)
        default: bytes += generator.bytes(maxCount: 8)
        }
        return bytes
    }
}

/// Random bytes that look like protobuf: tags with small field numbers (where real fields live),
/// every wire type, lengths that fit, nested groups of fields, repeats of the same field.
enum ProtobufShapedBytes {
    static func make(_ generator: inout SplitMix64, depth: Int) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<Int(generator.next() % 8) {
            let field = generator.next() % 16 + 1
            let repeats = generator.next() % 4 == 0 ? Int(generator.next() % 6) + 1 : 1
            for _ in 0..<repeats { appendField(field, &out, &generator, depth: depth) }
        }
        return out
    }

    private static func appendField(_ field: UInt64, _ out: inout [UInt8], _ generator: inout SplitMix64, depth: Int) {
        switch generator.next() % 5 {
        case 0:
            out += varint(field << 3 | 0)
            out += varint(interestingInteger(&generator))
        case 1:
            out += varint(field << 3 | 1)
            out += (0..<8).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        case 2:
            out += varint(field << 3 | 5)
            out += (0..<4).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        default:
            let body: [UInt8]
            if depth > 0 && generator.next() % 2 == 0 {
                body = make(&generator, depth: depth - 1)
            } else {
                body = Array("text-\(generator.next() % 1000)".utf8) + (generator.next() % 8 == 0 ? [0xFF, 0xFE] : [])
            }
            out += varint(field << 3 | 2)
            out += varint(UInt64(body.count))
            out += body
        }
    }

    private static func interestingInteger(_ generator: inout SplitMix64) -> UInt64 {
        let choices: [UInt64] = [0, 1, 2, 127, 128, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, .max, .max - 1, 1 << 63]
        return generator.next() % 2 == 0 ? generator.pick(choices) : generator.next() % 300
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F | 0x80))
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }
}
