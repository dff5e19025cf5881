import RPCCore

/// The server's method table: `:path` → handler.
struct MethodRouter: Sendable {
    private var handlers: [String: any RPCMethodHandler] = [:]
    private(set) var serviceNames: [String] = []

    init(services: [any RPCService]) {
        for service in services {
            serviceNames.append(service.serviceName)
            for handler in service.methodHandlers {
                precondition(handlers[handler.descriptor.path] == nil, "\(handler.descriptor.path) registered twice")
                handlers[handler.descriptor.path] = handler
            }
        }
    }

    subscript(path: String) -> (any RPCMethodHandler)? { handlers[path] }
}
