import ArgumentParser
import ProtoRuntime
import RPCCore
import Transport

/// Makes one call for a command: a channel to the service's address, the global call
/// options, and the response printed as JSON or as the command's human view.
public struct RPCInvoker: Sendable {
    public let global: GlobalOptions
    public let service: MeshService

    public init(_ global: GlobalOptions, _ service: MeshService) {
        self.global = global
        self.service = service
    }

    public func withChannel<R>(_ body: (GRPCChannel, CallOptions) async throws -> R) async throws -> R {
        let channel = try GRPCChannel(target: global.address(for: service))
        defer { channel.close() }
        return try await body(channel, try global.callOptions())
    }

    /// Unary call; the request is built from proto3 JSON (so flags map to fields and enum
    /// names the way the JSON mapping defines), the response printed with `view`.
    public func unary<Request: ProtoJSONMessage, Response: ProtoJSONMessage>(
        _ method: MethodDescriptor, _ request: Request.Type, _ json: JSONValue, _ response: Response.Type, view: View
    ) async throws {
        let message = try RequestJSON.message(Request.self, from: json)
        let answer = try await withChannel { channel, options in
            try await channel.unary(method, request: message, responseType: Response.self, options: options)
        }
        print(answer, view: view)
    }

    /// Prints `message` the way the global options ask (JSON, or `view` for people).
    public func print(_ message: some ProtoJSONMessage, view: View) {
        Console.out(global.json ? message.jsonString(pretty: true) : HumanRenderer.render(message.protoJSONValue(), view: view))
    }
}
