import ProtoRuntime

/// How a command shows its response to people. Paths are dotted lowerCamel JSON names
/// (`overview.customer`); an empty path is the response itself.
public indirect enum View: Sendable {
    /// One message as aligned `field  value` lines (nested messages flattened to dotted names).
    case record(String)
    /// A repeated field as a table.
    case table(String, [Column])
    /// Several views, each under a title.
    case sections([(title: String, view: View)])
    /// Chosen fields as `label  value` lines.
    case fields([Column])
}

/// A table column or a labelled field: a dotted path inside the item.
public struct Column: Sendable {
    public let title: String
    public let path: String
    public let rightAligned: Bool
    /// Shown when the field is absent: proto3 JSON leaves out zeros and false, which a
    /// count or an index should still show (e.g. "0", "no").
    public let absent: String

    public init(_ title: String, _ path: String, right: Bool = false, absent: String = "") {
        self.title = title
        self.path = path
        self.rightAligned = right
        self.absent = absent
    }

    /// A number that reads 0 when proto3 JSON left it out.
    public static func count(_ title: String, _ path: String, right: Bool = false) -> Column {
        Column(title, path, right: right, absent: "0")
    }
}

public enum HumanRenderer {
    public static func render(_ root: JSONValue, view: View) -> String {
        var text = renderView(root, view: view)
        if case .string(let token)? = root["nextPageToken"] {
            text += "\n(more: --page-token \(token))"
        }
        return text
    }

    static func renderView(_ root: JSONValue, view: View) -> String {
        switch view {
        case .record(let path):
            guard let value = lookup(root, path), case .object = value else { return "(empty)" }
            return record(value)
        case .table(let path, let columns):
            guard case .array(let items)? = lookup(root, path), !items.isEmpty else { return "(none)" }
            var table = TextTable(
                headers: columns.map(\.title),
                rightAligned: Set(columns.indices.filter { columns[$0].rightAligned }))
            for item in items { table.add(columns.map { cell(item, $0) }) }
            return table.render()
        case .fields(let columns):
            return TextTable.align(columns.map { [$0.title, cell(root, $0)] })
        case .sections(let sections):
            return sections.map { "== \($0.title)\n" + renderView(root, view: $0.view) }.joined(separator: "\n\n")
        }
    }

    /// The value at a dotted path, nil when any step is absent (a default value in proto3
    /// JSON). A step `name[]` gathers that repeated field across every item so far (nested
    /// lists as one table); a last step `name#` is the length of a repeated field.
    public static func lookup(_ value: JSONValue, _ path: String) -> JSONValue? {
        guard !path.isEmpty else { return value }
        var current = [value]
        var gathered = false
        for step in path.split(separator: ".").map(String.init) {
            if step.hasSuffix("#") {
                let count = current.map { item -> Int in
                    if case .array(let items)? = item[String(step.dropLast())] { return items.count }
                    return 0
                }.reduce(0, +)
                return .number(String(count))
            }
            if step.hasSuffix("[]") {
                current = current.flatMap { item -> [JSONValue] in
                    if case .array(let items)? = item[String(step.dropLast(2))] { return items }
                    return []
                }
                gathered = true
                continue
            }
            current = current.compactMap { $0[step] }
            if current.isEmpty { return nil }
        }
        if gathered {
            return .array(current.flatMap { item -> [JSONValue] in
                if case .array(let items) = item { return items }
                return [item]
            })
        }
        return current.first
    }

    static func cell(_ item: JSONValue, _ column: Column) -> String {
        guard let value = lookup(item, column.path) else { return column.absent }
        return ValueFormatter.text(value, key: String(column.path.split(separator: ".").last ?? ""))
    }

    /// `field  value` lines for a message, nested messages as dotted names.
    public static func record(_ value: JSONValue) -> String {
        var rows: [[String]] = []
        flatten(value, prefix: "", key: "", into: &rows)
        return rows.isEmpty ? "(empty)" : TextTable.align(rows)
    }

    static func flatten(_ value: JSONValue, prefix: String, key: String, into rows: inout [[String]]) {
        switch value {
        case .object(let members) where ValueFormatter.special(value, members: members) == nil:
            for (name, member) in members { flatten(member, prefix: prefix.isEmpty ? name : "\(prefix).\(name)", key: name, into: &rows) }
        case .array(let items) where items.contains(where: { if case .object = $0 { return ValueFormatter.text($0).contains("=") } else { return false } }):
            for (index, item) in items.enumerated() { flatten(item, prefix: "\(prefix)[\(index)]", key: key, into: &rows) }
        default:
            rows.append([prefix, ValueFormatter.text(value, key: key)])
        }
    }
}
