/// Accumulates generated Swift with indentation.
struct CodeWriter {
    private(set) var text = ""
    private var indentation = 0

    mutating func line(_ line: String = "") {
        text += line.isEmpty ? "\n" : String(repeating: "    ", count: indentation) + line + "\n"
    }

    /// `header {`, the body indented, `}`.
    mutating func block(_ header: String, _ body: (inout CodeWriter) -> Void) {
        line(header + " {")
        indentation += 1
        body(&self)
        indentation -= 1
        line("}")
    }

    /// `switch x {` with its cases at the same depth as the `switch` (Swift's usual style).
    mutating func switchBlock(_ header: String, _ body: (inout CodeWriter) -> Void) {
        line(header + " {")
        body(&self)
        line("}")
    }

    mutating func indent(_ body: (inout CodeWriter) -> Void) {
        indentation += 1
        body(&self)
        indentation -= 1
    }

    /// A proto comment as a `///` doc comment.
    mutating func docComment(_ comment: String?) {
        guard let comment else { return }
        for line in comment.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line).trimmed
            self.line(text.isEmpty ? "///" : "/// " + text)
        }
    }
}
