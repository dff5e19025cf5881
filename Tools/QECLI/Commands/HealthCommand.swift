import ArgumentParser
import ProtoRuntime

/// `qe health`: the gRPC health protocol, for people and for container health checks
/// (exit 0 only when SERVING).
public struct HealthCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Asks a server's gRPC health service (grpc.health.v1.Health/Check); exits 0 only when SERVING.",
        discussion: "Without --addr it asks the gateway (QE_GATEWAY_ADDR, QE_ADDR, 127.0.0.1:50060).")
    public init() {}

    @Option(help: ArgumentHelp("The service name to ask about (default: the server as a whole).", valueName: "name"))
    var service = ""
    @OptionGroup var global: GlobalOptions

    public func run() async throws {
        let address = global.address(for: .gateway)
        let result = await HealthProbe.status(
            address: address, service: service, timeout: try global.callTimeout(), metadata: try global.metadata())
        switch result {
        case .status(let name):
            Console.out(global.json ? JSONValue.object([("status", .string(name))]).text() : name)
            if !result.isServing { throw ExitCode(1) }
        case .failed(let error):
            throw RPCFailure(error)
        }
    }
}
