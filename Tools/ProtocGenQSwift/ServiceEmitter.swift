// Writes a proto service's names and method table. (The server protocol and typed client are
// emitted in terms of RPCCore's API; see Shared/RPCCore/CODEGEN.md.)

struct ServiceEmitter {
    let service: ServiceModel
    let module: String
    let registry: TypeRegistry

    func emit(into w: inout CodeWriter) {
        w.docComment(service.comment)
        w.block("public enum \(service.name)Names") { w in
            w.line("/// The fully qualified service name.")
            w.line("public static let service = \"\(service.fullName)\"")
            for method in service.methods {
                w.docComment(method.comment)
                w.line("public static let \(SwiftNames.lowerFirst(method.name)) = \"/\(service.fullName)/\(method.name)\"")
            }
        }
    }
}
