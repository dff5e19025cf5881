import FieldKindsTesting
import ProtoRuntime

/// The named FieldKinds cases, built the same way as in Tests/interop/field_kinds_compat.py
/// (the reference side). Keep the two in step: a case missing on either side fails the test.
enum FieldKindsCases {
    static var all: [String: FieldKinds] {
        var cases: [String: FieldKinds] = [:]
        cases["defaults"] = FieldKinds()

        cases["scalars"] = .with {
            $0.fInt32 = 123_456; $0.fInt64 = 1_234_567_890_123; $0.fUint32 = 4_000_000_000; $0.fUint64 = .max
            $0.fSint32 = 7; $0.fSint64 = 9_007_199_254_740_993; $0.fFixed32 = .max; $0.fFixed64 = 1 << 63
            $0.fSfixed32 = .max; $0.fSfixed64 = .max; $0.fFloat = 1.5; $0.fDouble = 3.141592653589793
            $0.fBool = true; $0.fString = "hello"; $0.fBytes = [0, 1, 2, 255]; $0.fColour = .green
            $0.fLevel = .high
        }

        cases["negatives"] = .with {
            $0.fInt32 = -1; $0.fInt64 = .min; $0.fSint32 = .min; $0.fSint64 = -1
            $0.fSfixed32 = .min; $0.fSfixed64 = -42; $0.fFloat = -0.25; $0.fDouble = -1e-300
            $0.fColour = .infrared
        }

        cases["unicode"] = .with {
            $0.fString = "Grüße, 東京, emoji 🚀, quote \" backslash \\ newline \n tab \t"
            $0.rString = ["", "ä", "𝄞"]
        }

        cases["nested"] = .with {
            $0.fPoint = .with { $0.x = -3; $0.y = 4; $0.label = "p" }
            $0.fInner = .with { $0.value = -99; $0.level = .low }
        }

        cases["repeated"] = .with {
            $0.rInt32 = [0, -1, .max, .min]; $0.rSint64Unpacked = [-1, 0, 1, .min]
            $0.rDouble = [0.0, -2.5, 1e100]; $0.rBool = [true, false, true]; $0.rBytes = [[], [0x00, 0xFF]]
            $0.rColour = [.red, .unspecified, .infrared]
            $0.rPoint = [.with { $0.x = 1 }, Point(), .with { $0.label = "third" }]
            $0.rFixed64 = [0, .max]; $0.rFloat = [0.5, -0.125]; $0.rUint64 = [1, .max - 1]
        }

        cases["maps"] = .with {
            $0.mStringInt64 = ["b": 2, "a": -1, "": 0]
            $0.mInt32Point = [7: .with { $0.x = 1 }, -7: .with { $0.label = "neg" }, 0: Point()]
            $0.mBoolString = [true: "yes", false: ""]
            $0.mUint64Colour = [.max: .red, 0: .unspecified]
        }

        cases["oneof_text"] = .with { $0.choice = .choiceText("chosen") }
        cases["oneof_zero_number"] = .with { $0.choice = .choiceNumber(0) }
        cases["oneof_empty_point"] = .with { $0.choice = .choicePoint(Point()) }
        cases["oneof_colour"] = .with { $0.choice = .choiceColour(.green) }

        cases["well_known"] = .with {
            $0.fTimestamp = Timestamp(seconds: 1_767_225_600, nanos: 500_000_000)
            $0.fDuration = ProtoDuration(seconds: -1, nanos: -500_000_000)
            $0.fFieldMask = FieldMask(paths: ["display_name", "contact.email_address"])
            $0.wString = ""; $0.wInt64 = -5; $0.wBool = false; $0.wDouble = 2.25
            $0.wUint32 = .max; $0.wBytes = [1]; $0.wFloat = 0; $0.wInt32 = -7; $0.wUint64 = .max
            $0.rTimestamp = [Timestamp(seconds: -62_135_596_800), Timestamp(seconds: 253_402_300_799, nanos: 999_999_999)]
        }

        cases["unknown_enum"] = .with {
            $0.fColour = .unrecognized(42)
            $0.rColour = [.unrecognized(99), .unrecognized(-5)]
        }
        return cases
    }
}
