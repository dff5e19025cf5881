// grpc-swift-2 peer for Benchmarks/transport/run: grpc.testing.TestService on
// grpc-swift-2 with its NIO HTTP/2 transport (plaintext h2c on 127.0.0.1), written the
// way grpc-swift-2's own examples write a server. Only what the benchmark drives does
// real work — UnaryCall and StreamingOutputCall; the rest answers UNIMPLEMENTED.
// The message and service types in Generated/ come from ../../generate (protoc + the
// upstream plugins), not by hand.
//
// Usage: grpc-swift-2-interop-server --port N      (SIGTERM ends it: default action)
import Foundation  // Data: swift-protobuf maps `bytes` to Foundation.Data
import GRPCCore
import GRPCNIOTransportHTTP2

struct TestService: Grpc_Testing_TestService.SimpleServiceProtocol {
  func unaryCall(
    request: Grpc_Testing_SimpleRequest,
    context: ServerContext
  ) async throws -> Grpc_Testing_SimpleResponse {
    if request.hasResponseStatus, request.responseStatus.code != 0 {
      throw RPCError(
        code: Status.Code(rawValue: Int(request.responseStatus.code)).flatMap(RPCError.Code.init) ?? .unknown,
        message: request.responseStatus.message)
    }
    var response = Grpc_Testing_SimpleResponse()
    if request.responseSize > 0 {
      response.payload.body = Data(count: Int(request.responseSize))
    }
    return response
  }

  func streamingOutputCall(
    request: Grpc_Testing_StreamingOutputCallRequest,
    response: RPCWriter<Grpc_Testing_StreamingOutputCallResponse>,
    context: ServerContext
  ) async throws {
    for parameters in request.responseParameters {
      var message = Grpc_Testing_StreamingOutputCallResponse()
      if parameters.size > 0 {
        message.payload.body = Data(count: Int(parameters.size))
      }
      try await response.write(message)
    }
  }

  // Not driven by the benchmark.
  func emptyCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
    Grpc_Testing_Empty()
  }
  func cacheableUnaryCall(
    request: Grpc_Testing_SimpleRequest, context: ServerContext
  ) async throws -> Grpc_Testing_SimpleResponse {
    try await unaryCall(request: request, context: context)
  }
  func streamingInputCall(
    request: RPCAsyncSequence<Grpc_Testing_StreamingInputCallRequest, any Error>,
    context: ServerContext
  ) async throws -> Grpc_Testing_StreamingInputCallResponse {
    throw RPCError(code: .unimplemented, message: "not part of the benchmark")
  }
  func fullDuplexCall(
    request: RPCAsyncSequence<Grpc_Testing_StreamingOutputCallRequest, any Error>,
    response: RPCWriter<Grpc_Testing_StreamingOutputCallResponse>,
    context: ServerContext
  ) async throws {
    throw RPCError(code: .unimplemented, message: "not part of the benchmark")
  }
  func halfDuplexCall(
    request: RPCAsyncSequence<Grpc_Testing_StreamingOutputCallRequest, any Error>,
    response: RPCWriter<Grpc_Testing_StreamingOutputCallResponse>,
    context: ServerContext
  ) async throws {
    throw RPCError(code: .unimplemented, message: "not part of the benchmark")
  }
  func unimplementedCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
    throw RPCError(code: .unimplemented, message: "unimplemented by design")
  }
}

var port = 50072
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  if argument == "--port", let value = arguments.popFirst(), let parsed = Int(value) {
    port = parsed
  }
}

let server = GRPCServer(
  transport: .http2NIOPosix(
    address: .ipv4(host: "127.0.0.1", port: port),
    transportSecurity: .plaintext
  ),
  services: [TestService()]
)
try await withThrowingDiscardingTaskGroup { group in
  group.addTask { try await server.serve() }
  if let address = try await server.listeningAddress {
    print("grpc-swift-2 interop server listening on \(address)")
  }
}
