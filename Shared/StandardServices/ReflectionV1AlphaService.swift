import GRPCReflectionV1Alpha
import RPCCore

/// Server reflection, `grpc.reflection.v1alpha.ServerReflection`: lets stock tools (grpcurl,
/// grpcio's reflection client) discover and call our services without the protos.
public struct ReflectionV1AlphaService: GRPCReflectionV1Alpha.ServerReflectionHandler {
    public let index: ReflectionIndex

    public init(index: ReflectionIndex) {
        self.index = index
    }

    public func serverReflectionInfo(
        _ requests: RPCAsyncSequence<ServerReflectionRequest>, writer: RPCWriter<ServerReflectionResponse>,
        context: ServerContext
    ) async throws {
        for try await request in requests {
            try await writer.write(.with {
                $0.validHost = request.host
                $0.originalRequest = request
                $0.messageResponse = Self.response(index.answer(Self.query(request)))
            })
        }
    }

    static func query(_ request: ServerReflectionRequest) -> ReflectionQuery {
        switch request.messageRequest {
        case .fileByFilename(let name)?: return .fileByFilename(name)
        case .fileContainingSymbol(let symbol)?: return .fileContainingSymbol(symbol)
        case .fileContainingExtension(let e)?: return .fileContainingExtension(type: e.containingType, number: e.extensionNumber)
        case .allExtensionNumbersOfType(let type)?: return .allExtensionNumbersOfType(type)
        case .listServices?: return .listServices
        case nil: return .empty
        }
    }

    static func response(_ answer: ReflectionAnswer) -> ServerReflectionResponse.MessageResponse {
        switch answer {
        case .files(let files): return .fileDescriptorResponse(.with { $0.fileDescriptorProto = files })
        case let .extensionNumbers(type, numbers):
            return .allExtensionNumbersResponse(.with { $0.baseTypeName = type; $0.extensionNumber = numbers })
        case .services(let names): return .listServicesResponse(.with { $0.service = names.map { name in .with { $0.name = name } } })
        case let .error(code, message): return .errorResponse(.with { $0.errorCode = code; $0.errorMessage = message })
        }
    }
}
