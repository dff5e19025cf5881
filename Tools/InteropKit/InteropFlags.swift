/// Flags as gRPC's own interop programs take them: `--name=value` or `--name value`.
public struct InteropFlags {
    private var values: [String: String] = [:]

    public init(_ arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else { throw InteropFailure("unexpected argument \(argument)") }
            let body = argument.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                values[String(body[..<equals])] = String(body[body.index(after: equals)...])
            } else if index + 1 < arguments.count {
                values[String(body)] = arguments[index + 1]
                index += 1
            } else {
                throw InteropFailure("flag \(argument) needs a value")
            }
            index += 1
        }
    }

    public subscript(name: String) -> String? { values[name] }

    public func integer(_ name: String, default value: Int? = nil) throws -> Int {
        guard let text = values[name] else {
            if let value { return value }
            throw InteropFailure("--\(name) is required")
        }
        guard let number = Int(text) else { throw InteropFailure("--\(name)=\(text) is not a number") }
        return number
    }
}
