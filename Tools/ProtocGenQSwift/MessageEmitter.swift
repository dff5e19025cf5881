// Writes a proto message as a Swift struct, and the extension that converts it to and from
// protobuf-c's C struct (and so to and from bytes) and to and from proto3 JSON.

/// How one proto field is shaped in Swift.
enum FieldShape {
    case singular(ValueType)
    case repeated(ValueType)
    case map(key: ValueType, value: ValueType, entry: TypeInfo)
    /// A member of a oneof: its value becomes a case of the oneof's enum.
    case oneofArm(ValueType, oneof: Int)
}

struct FieldPlan {
    let field: FieldModel
    let shape: FieldShape
    /// Swift property name (escaped), or the enum case name for oneof arms.
    let swiftName: String
    /// Member name in the C struct.
    let cName: String
}

struct MessageEmitter {
    let message: MessageModel
    let module: String
    let registry: TypeRegistry

    private var cType: String { CNames.typeName(message.fullName) }
    private var swiftPath: String { message.path.joined(separator: ".") }

    var plans: [FieldPlan] {
        message.fields.map { field in
            let value = ValueType(kind: field.kind, typeName: field.typeName, registry: registry)
            let shape: FieldShape
            if let oneof = field.oneofIndex {
                shape = .oneofArm(value, oneof: oneof)
            } else if field.isRepeated, case .message(let info) = value, let entry = info.message, entry.isMapEntry {
                let keyField = entry.fields.first { $0.number == 1 }!
                let valueField = entry.fields.first { $0.number == 2 }!
                shape = .map(key: ValueType(kind: keyField.kind, typeName: keyField.typeName, registry: registry),
                             value: ValueType(kind: valueField.kind, typeName: valueField.typeName, registry: registry),
                             entry: info)
            } else if field.isRepeated {
                shape = .repeated(value)
            } else {
                shape = .singular(value)
            }
            return FieldPlan(field: field, shape: shape, swiftName: SwiftNames.property(field.name), cName: CNames.fieldName(field.name))
        }
    }

    private func oneofPropertyName(_ index: Int) -> String { SwiftNames.property(message.oneofs[index].name) }
    private func oneofTypeName(_ index: Int) -> String { SwiftNames.upperCamel(message.oneofs[index].name) }
    private func swiftType(_ value: ValueType) -> String { value.swiftType(in: module, registry: registry) }

    // MARK: The struct

    /// The struct declaration, with nested messages and enums inside it.
    func emitDeclaration(into w: inout CodeWriter) {
        let plans = self.plans
        w.docComment(message.comment)
        w.block("public struct \(message.path.last!): ProtoJSONMessage") { w in
            w.line("public static let protoMessageName = \"\(message.fullName)\"")
            for plan in plans {
                switch plan.shape {
                case .singular(let value):
                    w.line()
                    w.docComment(plan.field.comment)
                    if value.isPointerInC {
                        w.line("public var \(plan.swiftName): \(swiftType(value))? = nil")
                    } else {
                        w.line("public var \(plan.swiftName): \(swiftType(value)) = \(value.defaultValue)")
                    }
                case .repeated(let value):
                    w.line()
                    w.docComment(plan.field.comment)
                    w.line("public var \(plan.swiftName): [\(swiftType(value))] = []")
                case .map(let key, let value, _):
                    w.line()
                    w.docComment(plan.field.comment)
                    w.line("public var \(plan.swiftName): [\(swiftType(key)): \(swiftType(value))] = [:]")
                case .oneofArm:
                    break
                }
            }
            for (index, oneof) in message.oneofs.enumerated() {
                let arms = plans.filter { if case .oneofArm(_, let o) = $0.shape { return o == index } else { return false } }
                w.line()
                w.docComment(oneof.comment ?? "One of: \(arms.map(\.field.name).joined(separator: ", ")).")
                w.line("public var \(oneofPropertyName(index)): \(oneofTypeName(index))? = nil")
                w.line()
                w.docComment(oneof.comment.map { "The arms of `\(oneof.name)`: " + $0 })
                w.block("public enum \(oneofTypeName(index)): Sendable, Hashable") { w in
                    for arm in arms {
                        guard case .oneofArm(let value, _) = arm.shape else { continue }
                        w.docComment(arm.field.comment)
                        w.line("case \(arm.swiftName)(\(swiftType(value)))")
                    }
                }
            }
            w.line()
            w.line("public init() {}")
            for nested in message.nestedMessages where !nested.isMapEntry {
                w.line()
                MessageEmitter(message: nested, module: module, registry: registry).emitDeclaration(into: &w)
            }
            for nestedEnum in message.nestedEnums {
                w.line()
                EnumEmitter(enumModel: nestedEnum).emit(into: &w)
            }
        }
    }

    // MARK: Bytes, through protobuf-c

    func emitConversions(into w: inout CodeWriter) {
        w.block("extension \(swiftPath)") { w in
            emitInitFromC(into: &w)
            w.line()
            emitLower(into: &w)
            w.line()
            w.line("/// protoc-c's descriptor of the C struct.")
            w.line("private static let cDescriptor = CMessageDescriptor(of: \(cType).self, initializer: \(CNames.initFunction(message.fullName)))")
            w.line()
            w.block("public init(protobufBytes bytes: UnsafeRawBufferPointer) throws") { w in
                w.line("self = try ProtobufC.decode(Self.cDescriptor, as: \(cType).self, messageName: Self.protoMessageName, bytes: bytes) { Self(c: $0) }")
            }
            w.line()
            w.line("public func withProtobufEncoder<R>(")
            w.line("    _ body: (_ size: Int, _ encode: (UnsafeMutableRawBufferPointer) -> Void) throws -> R")
            w.block(") rethrows -> R") { w in
                w.line("let arena = CArena()")
                w.line("let c = lower(into: arena)")
                w.line("return try withExtendedLifetime(arena) { try ProtobufC.encode(ProtobufC.base(c), body) }")
            }
            w.line()
            emitJSONEncode(into: &w)
            w.line()
            emitJSONDecode(into: &w)
        }
    }

    private func emitInitFromC(into w: inout CodeWriter) {
        w.block("package init(c: UnsafePointer<\(cType)>)") { w in
            w.line("self.init()")
            for plan in plans {
                let member = "c.pointee.\(plan.cName)"
                switch plan.shape {
                case .singular(let value):
                    if value.isPointerInC {
                        w.line("self.\(plan.swiftName) = \(member).map { \(value.fromC("$0", in: module, registry: registry)) }")
                    } else {
                        w.line("self.\(plan.swiftName) = \(value.fromC(member, in: module, registry: registry))")
                    }
                case .repeated(let value):
                    let function = value.isPointerArrayInC ? "pointerArray" : "array"
                    w.line("self.\(plan.swiftName) = CConvert.\(function)(c.pointee.n_\(plan.cName), \(member)) { \(value.fromC("$0", in: module, registry: registry)) }")
                case .map(let key, let value, _):
                    w.block("if let entries = \(member)") { w in
                        w.block("for index in 0..<c.pointee.n_\(plan.cName)") { w in
                            w.line("guard let entry = entries[index] else { continue }")
                            let keyExpression = key.fromC("entry.pointee.key", in: module, registry: registry)
                            let valueExpression = value.isPointerInC
                                ? "entry.pointee.value.map { \(value.fromC("$0", in: module, registry: registry)) } ?? \(swiftType(value))()"
                                : value.fromC("entry.pointee.value", in: module, registry: registry)
                            w.line("self.\(plan.swiftName)[\(keyExpression)] = \(valueExpression)")
                        }
                    }
                case .oneofArm:
                    break
                }
            }
            for (index, oneof) in message.oneofs.enumerated() {
                w.switchBlock("switch c.pointee.\(CNames.fieldName(oneof.name))_case.rawValue") { w in
                    for plan in plans {
                        guard case .oneofArm(let value, let o) = plan.shape, o == index else { continue }
                        let member = "c.pointee.\(plan.cName)"
                        if value.isPointerInC {
                            w.line("case \(plan.field.number): self.\(oneofPropertyName(index)) = \(member).map { .\(plan.swiftName)(\(value.fromC("$0", in: module, registry: registry))) }")
                        } else {
                            w.line("case \(plan.field.number): self.\(oneofPropertyName(index)) = .\(plan.swiftName)(\(value.fromC(member, in: module, registry: registry)))")
                        }
                    }
                    w.line("default: self.\(oneofPropertyName(index)) = nil")
                }
            }
        }
    }

    private func emitLower(into w: inout CodeWriter) {
        w.block("package func lower(into arena: CArena) -> UnsafeMutablePointer<\(cType)>") { w in
            w.line("let c = arena.allocate(\(cType).self)")
            w.line("\(CNames.initFunction(message.fullName))(c)")
            for plan in plans {
                let member = "c.pointee.\(plan.cName)"
                let property = "self.\(plan.swiftName)"
                switch plan.shape {
                case .singular(let value):
                    if value.isPointerInC {
                        w.line("if let value = \(property) { \(member) = \(value.toC("value")) }")
                    } else if case .scalar(.string) = value {
                        w.line("if !\(property).isEmpty { \(member) = \(value.toC(property)) }")
                    } else if case .scalar(.bytes) = value {
                        w.line("if !\(property).isEmpty { \(member) = \(value.toC(property)) }")
                    } else {
                        w.line("\(member) = \(value.toC(property))")
                    }
                case .repeated(let value):
                    let function = value.isPointerArrayInC ? "pointerArray" : "array"
                    w.line("c.pointee.n_\(plan.cName) = \(property).count")
                    w.line("\(member) = arena.\(function)(\(property)) { \(value.toC("$0")) }")
                case .map(let key, let value, let entry):
                    let entryType = CNames.typeName(entry.fullName)
                    w.block("if !\(property).isEmpty") { w in
                        w.line("let entries = CConvert.sortedEntries(\(property))")
                        w.line("c.pointee.n_\(plan.cName) = entries.count")
                        w.line("\(member) = arena.pointerArray(entries) { element in")
                        w.indent { w in
                            w.line("let entry = arena.allocate(\(entryType).self)")
                            w.line("\(CNames.initFunction(entry.fullName))(entry)")
                            w.line("entry.pointee.key = \(key.toC("element.key"))")
                            w.line("entry.pointee.value = \(value.toC("element.value"))")
                            w.line("return entry")
                        }
                        w.line("}")
                    }
                case .oneofArm:
                    break
                }
            }
            for (index, oneof) in message.oneofs.enumerated() {
                w.switchBlock("switch self.\(oneofPropertyName(index))") { w in
                    for plan in plans {
                        guard case .oneofArm(let value, let o) = plan.shape, o == index else { continue }
                        w.line("case .\(plan.swiftName)(let value)?:")
                        w.indent { w in
                            w.line("c.pointee.\(CNames.fieldName(oneof.name))_case = .init(rawValue: \(plan.field.number))")
                            w.line("c.pointee.\(plan.cName) = \(value.toC("value"))")
                        }
                    }
                    w.line("case nil: break")
                }
            }
            w.line("return c")
        }
    }

    // MARK: proto3 JSON

    private func emitJSONEncode(into w: inout CodeWriter) {
        w.block("public func protoJSONValue() -> JSONValue") { w in
            let plans = self.plans
            if plans.isEmpty { w.line("return .object([])"); return }
            w.line("var object = JSONObjectBuilder()")
            for plan in plans {
                let property = "self.\(plan.swiftName)"
                let key = "\"\(plan.field.jsonName)\""
                switch plan.shape {
                case .singular(let value):
                    if value.isPointerInC {
                        w.line("if let value = \(property) { object.add(\(key), \(value.toJSON("value"))) }")
                    } else {
                        w.line("if \(value.isNonDefault(property)) { object.add(\(key), \(value.toJSON(property))) }")
                    }
                case .repeated(let value):
                    w.line("if !\(property).isEmpty { object.add(\(key), .array(\(property).map { \(value.toJSON("$0")) })) }")
                case .map(_, let value, _):
                    w.block("if !\(property).isEmpty") { w in
                        w.line("object.add(\(key), .object(CConvert.sortedEntries(\(property)).map { (key: ProtoJSON.mapKey($0.key), value: \(value.toJSON("$0.value"))) }))")
                    }
                case .oneofArm:
                    break
                }
            }
            for (index, _) in message.oneofs.enumerated() {
                w.switchBlock("switch self.\(oneofPropertyName(index))") { w in
                    for plan in plans {
                        guard case .oneofArm(let value, let o) = plan.shape, o == index else { continue }
                        w.line("case .\(plan.swiftName)(let value)?: object.add(\"\(plan.field.jsonName)\", \(value.toJSON("value")))")
                    }
                    w.line("case nil: break")
                }
            }
            w.line("return object.value")
        }
    }

    private func emitJSONDecode(into w: inout CodeWriter) {
        w.block("public init(protoJSONValue json: JSONValue) throws") { w in
            w.line("self.init()")
            let plans = self.plans
            w.block("for (key, value) in try ProtoJSON.object(json, field: Self.protoMessageName)") { w in
                if plans.isEmpty {
                    w.line("_ = value")
                    w.line("throw ProtoJSONError.unknownField(message: Self.protoMessageName, field: key)")
                    return
                }
                w.line("if case .null = value { continue }")
                w.switchBlock("switch key") { w in
                    for plan in plans {
                        let names = Array(Set([plan.field.jsonName, plan.field.name])).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                        let fieldPath = "\"\(message.fullName).\(plan.field.name)\""
                        let property = "self.\(plan.swiftName)"
                        switch plan.shape {
                        case .singular(let value):
                            w.line("case \(names): \(property) = \(value.fromJSON("value", field: fieldPath, in: module, registry: registry))")
                        case .repeated(let value):
                            w.line("case \(names): \(property) = try ProtoJSON.array(value, field: \(fieldPath)).map { \(value.fromJSON("$0", field: fieldPath, in: module, registry: registry)) }")
                        case .map(let key, let value, _):
                            w.line("case \(names):")
                            w.indent { w in
                                w.block("for (mapKey, mapValue) in try ProtoJSON.object(value, field: \(fieldPath))") { w in
                                    let keyExpression: String
                                    if case .scalar(.string) = key { keyExpression = "mapKey" } else { keyExpression = "try ProtoJSON.mapKey(mapKey, field: \(fieldPath))" }
                                    w.line("\(property)[\(keyExpression)] = \(value.fromJSON("mapValue", field: fieldPath, in: module, registry: registry))")
                                }
                            }
                        case .oneofArm(let value, let oneof):
                            w.line("case \(names): self.\(oneofPropertyName(oneof)) = .\(plan.swiftName)(\(value.fromJSON("value", field: fieldPath, in: module, registry: registry)))")
                        }
                    }
                    w.line("default: throw ProtoJSONError.unknownField(message: Self.protoMessageName, field: key)")
                }
            }
        }
    }
}
