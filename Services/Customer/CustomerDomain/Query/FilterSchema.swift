import ProtoRuntime
import ServiceKit

/// The filter fields one list method accepts and the SQL condition each term becomes.
struct FilterSchema: Sendable {
    struct Field: Sendable {
        let operators: Set<FilterTerm.Operator>
        let condition: @Sendable (FilterTerm) throws(DomainError) -> SQLCondition
    }

    let fields: [String: Field]

    init(_ fields: [String: Field]) { self.fields = fields }

    /// The conditions for `filter`; an unknown field or operator is INVALID_ARGUMENT.
    func conditions(for filter: String) throws(DomainError) -> [SQLCondition] {
        var conditions: [SQLCondition] = []
        for term in try FilterExpression.parse(filter) {
            guard let field = fields[term.field] else {
                throw .invalid("filter: unknown field '\(term.field)'; allowed: \(fields.keys.sorted().joined(separator: ", "))")
            }
            guard field.operators.contains(term.op) else {
                let allowed = field.operators.map(\.rawValue).sorted().joined(separator: " or ")
                throw .invalid("filter: '\(term.field)' takes \(allowed), not '\(term.op.rawValue)'")
            }
            conditions.append(try field.condition(term))
        }
        return conditions
    }
}

extension FilterSchema.Field {
    /// `field = NAME` against an integer column holding the enum's number.
    static func enumEquals<E: ProtoEnum>(_ column: String, _ type: E.Type) -> Self {
        Self(operators: [.equals]) { term throws(DomainError) in
            SQLCondition("\(column) = ?", [.integer(Int64(try EnumNames.parse(term.value, as: E.self, field: term.field).rawValue))])
        }
    }

    /// `field = NAME` against a bitmask column of enum values (see ``ColumnEncoding/bitmask(_:)``).
    static func enumInMask<E: ProtoEnum>(_ column: String, _ type: E.Type) -> Self {
        Self(operators: [.equals, .has]) { term throws(DomainError) in
            let value = try EnumNames.parse(term.value, as: E.self, field: term.field)
            return SQLCondition("(\(column) & ?) != 0", [.integer(ColumnEncoding.bitmask([value]))])
        }
    }

    /// `field = "text"`, exact, against a text column (`fold` lower-cases, for e-mails).
    static func textEquals(_ column: String, fold: Bool = false) -> Self {
        Self(operators: [.equals]) { term in
            SQLCondition("\(column) = ?", [.text(fold ? term.value.lowercased() : term.value)])
        }
    }

    /// `field:"text"`, case-insensitive substring, against a column holding the lower-cased value.
    static func substring(foldedColumn column: String) -> Self {
        Self(operators: [.has]) { term in
            SQLCondition("instr(\(column), ?) > 0", [.text(term.value.lowercased())])
        }
    }

    /// `field = "x"` or `field:"x"`: exact membership in a delimited-list column.
    static func listContains(_ column: String, fold: Bool = false) -> Self {
        Self(operators: [.equals, .has]) { term throws(DomainError) in
            guard !term.value.contains("\n") else { throw .invalid("filter: '\(term.field)' value must be one line") }
            let member = ColumnEncoding.delimitedMember(fold ? term.value.lowercased() : term.value)
            return SQLCondition("instr(\(column), ?) > 0", [.text(member)])
        }
    }
}
