// Writes, per proto service, what Shared/RPCCore/CODEGEN.md asks for:
//   <Service>Methods  — the method descriptors,
//   <Service>Handler  — the protocol a server implements (one async method per RPC) and the
//                       method table that registers it with a server,
//   <Service>Client   — a typed client over any RPCChannel.

struct ServiceEmitter {
    let service: ServiceModel
    let module: String
    let registry: TypeRegistry

    private var methods: String { "\(service.name)Methods" }

    private func swiftName(_ method: MethodModel) -> String { SwiftNames.escaped(SwiftNames.lowerFirst(method.name)) }
    private func input(_ method: MethodModel) -> String { registry.swiftName(method.inputType, from: module) }
    private func output(_ method: MethodModel) -> String { registry.swiftName(method.outputType, from: module) }

    private func kind(_ method: MethodModel) -> String {
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false): return "unary"
        case (false, true): return "serverStreaming"
        case (true, false): return "clientStreaming"
        case (true, true): return "bidiStreaming"
        }
    }

    func emit(into w: inout CodeWriter) {
        emitMethods(into: &w)
        w.line()
        emitHandler(into: &w)
        w.line()
        emitClient(into: &w)
    }

    private func emitMethods(into w: inout CodeWriter) {
        w.line("/// The methods of `\(service.fullName)`.")
        w.block("public enum \(methods)") { w in
            w.line("public static let serviceName = \"\(service.fullName)\"")
            for method in service.methods {
                w.docComment(method.comment)
                w.line("public static let \(swiftName(method)) = MethodDescriptor(service: serviceName, method: \"\(method.name)\", kind: .\(kind(method)))")
            }
            w.line("/// Every method, in proto order.")
            w.line("public static let all: [MethodDescriptor] = [\(service.methods.map(swiftName).joined(separator: ", "))]")
        }
    }

    private func emitHandler(into w: inout CodeWriter) {
        w.docComment(service.comment)
        w.line("///")
        w.line("/// Implement this to serve `\(service.fullName)`, then register the implementation with a server.")
        w.block("public protocol \(service.name)Handler: RPCService") { w in
            for method in service.methods {
                w.docComment(method.comment)
                let name = swiftName(method)
                switch (method.clientStreaming, method.serverStreaming) {
                case (false, false):
                    w.line("func \(name)(_ request: \(input(method)), context: ServerContext) async throws -> \(output(method))")
                case (false, true):
                    w.line("func \(name)(_ request: \(input(method)), writer: RPCWriter<\(output(method))>, context: ServerContext) async throws")
                case (true, false):
                    w.line("func \(name)(_ requests: RPCAsyncSequence<\(input(method))>, context: ServerContext) async throws -> \(output(method))")
                case (true, true):
                    w.line("func \(name)(_ requests: RPCAsyncSequence<\(input(method))>, writer: RPCWriter<\(output(method))>, context: ServerContext) async throws")
                }
            }
        }
        w.line()
        w.block("extension \(service.name)Handler") { w in
            w.line("public var serviceName: String { \(methods).serviceName }")
            w.line()
            w.block("public var methodHandlers: [any RPCMethodHandler]") { w in
                w.line("[")
                w.indent { w in
                    for method in service.methods {
                        let name = swiftName(method)
                        let handler = "MethodHandler<\(input(method)), \(output(method))>.\(kind(method))(\(methods).\(name))"
                        switch (method.clientStreaming, method.serverStreaming) {
                        case (false, false):
                            w.line("\(handler) { request, context in try await self.\(name)(request, context: context) },")
                        case (false, true):
                            w.line("\(handler) { request, writer, context in try await self.\(name)(request, writer: writer, context: context) },")
                        case (true, false):
                            w.line("\(handler) { requests, context in try await self.\(name)(requests, context: context) },")
                        case (true, true):
                            w.line("\(handler) { requests, writer, context in try await self.\(name)(requests, writer: writer, context: context) },")
                        }
                    }
                }
                w.line("]")
            }
        }
    }

    private func emitClient(into w: inout CodeWriter) {
        w.line("/// Typed client for `\(service.fullName)` over any channel.")
        w.block("public struct \(service.name)Client: Sendable") { w in
            w.line("public let channel: any RPCChannel")
            w.line()
            w.line("public init(channel: any RPCChannel) { self.channel = channel }")
            for method in service.methods {
                w.line()
                w.docComment(method.comment)
                let name = swiftName(method)
                let descriptor = "\(methods).\(name)"
                switch (method.clientStreaming, method.serverStreaming) {
                case (false, false):
                    w.block("public func \(name)(_ request: \(input(method)), options: CallOptions = CallOptions()) async throws -> \(output(method))") { w in
                        w.line("try await channel.unary(\(descriptor), request: request, options: options)")
                    }
                case (false, true):
                    w.line("public func \(name)<Result: Sendable>(")
                    w.line("    _ request: \(input(method)), options: CallOptions = CallOptions(),")
                    w.line("    onResponse: (StreamingClientResponse<\(output(method))>) async throws -> Result")
                    w.block(") async throws -> Result") { w in
                        w.line("try await channel.serverStreaming(\(descriptor), request: request, options: options, onResponse: onResponse)")
                    }
                case (true, false):
                    w.line("public func \(name)(")
                    w.line("    options: CallOptions = CallOptions(),")
                    w.line("    requests: @escaping @Sendable (RPCWriter<\(input(method))>) async throws -> Void")
                    w.block(") async throws -> \(output(method))") { w in
                        w.line("try await channel.clientStreaming(\(descriptor), options: options, requests: requests)")
                    }
                case (true, true):
                    w.line("public func \(name)<Result: Sendable>(")
                    w.line("    options: CallOptions = CallOptions(),")
                    w.line("    requests: @escaping @Sendable (RPCWriter<\(input(method))>) async throws -> Void,")
                    w.line("    onResponse: (StreamingClientResponse<\(output(method))>) async throws -> Result")
                    w.block(") async throws -> Result") { w in
                        w.line("try await channel.bidiStreaming(\(descriptor), options: options, requests: requests, onResponse: onResponse)")
                    }
                }
            }
        }
    }
}
