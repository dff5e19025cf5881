// Writes a proto enum as a Swift enum conforming to ProtoEnum (open: unknown numbers survive).

struct EnumEmitter {
    let enumModel: EnumModel

    /// Values with distinct numbers (aliases of an earlier value are left out).
    private var values: [(value: EnumValueModel, caseName: String)] {
        var seen = Set<Int32>()
        let enumName = enumModel.path.last!
        return enumModel.values.compactMap { value in
            guard seen.insert(value.number).inserted else { return nil }
            return (value, SwiftNames.enumCase(value.name, enumName: enumName))
        }
    }

    func emit(into w: inout CodeWriter) {
        let name = enumModel.path.last!
        let values = self.values
        w.docComment(enumModel.comment)
        w.block("public enum \(name): ProtoEnum") { w in
            for (value, caseName) in values {
                w.docComment(value.comment)
                w.line("case \(caseName)")
            }
            w.line("/// A value this build does not know (proto3 enums are open).")
            w.line("case unrecognized(Int32)")
            w.line()
            w.block("public init()") { w in w.line("self = .\(values.first!.caseName)") }
            w.line()
            w.block("public init(rawValue: Int32)") { w in
                w.switchBlock("switch rawValue") { w in
                    for (value, caseName) in values { w.line("case \(value.number): self = .\(caseName)") }
                    w.line("default: self = .unrecognized(rawValue)")
                }
            }
            w.line()
            w.block("public var rawValue: Int32") { w in
                w.switchBlock("switch self") { w in
                    for (value, caseName) in values { w.line("case .\(caseName): return \(value.number)") }
                    w.line("case .unrecognized(let value): return value")
                }
            }
            w.line()
            w.line("public static let knownCases: [\(name)] = [\(values.map { "." + $0.caseName }.joined(separator: ", "))]")
            w.line()
            w.block("public var protoName: String?") { w in
                w.switchBlock("switch self") { w in
                    for (value, caseName) in values { w.line("case .\(caseName): return \"\(value.name)\"") }
                    w.line("case .unrecognized: return nil")
                }
            }
        }
    }
}
