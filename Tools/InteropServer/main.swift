// interop-server: grpc.testing.TestService over our transport, with health and reflection,
// for gRPC's interop tests. `interop-server --port N` (0 picks a free port; the chosen one is
// printed as "listening N") [--busy-poll-us N]. Stops on SIGTERM/SIGINT.
import Foundation
import GRPCTesting
import InteropKit
import ServiceKit
import StandardServices
import Transport

do {
    let flags = try InteropFlags(Array(CommandLine.arguments.dropFirst()))
    let port = try flags.integer("port", default: 50051)
    let testService = InteropTestService()
    let standard = StandardServiceSet(serving: [testService], descriptors: GRPCTestingDescriptors.filesWithDependencies)
    var configuration = ServerConfiguration(host: flags["host"] ?? "127.0.0.1", port: port)
    // Responses may be compressed when the client accepts gzip; the test service decides per
    // message (response_compressed / ResponseParameters.compressed).
    configuration.responseCompression = .gzip
    // --busy-poll-us N: keep polling N µs after each write (ServerConfiguration.busyPollWindow).
    if flags["busy-poll-us"] != nil {
        let micros = try flags.integer("busy-poll-us")
        guard micros > 0 else { throw InteropFailure("--busy-poll-us needs a positive number of µs") }
        configuration.busyPollWindow = .microseconds(micros)
    }
    let server = GRPCServer(configuration: configuration, services: [testService] + standard.services)
    try await server.start()
    // Unbuffered, so whoever started us sees the port at once.
    FileHandle.standardOutput.write("listening \(server.port ?? port)\n".data(using: .utf8)!)
    let (stopRequests, requestStop) = AsyncStream<Int32>.makeStream()
    let signals = SignalWatcher(signals: [SIGTERM, SIGINT]) { requestStop.yield($0) }
    for await _ in stopRequests { break }
    signals.stop()
    standard.health.setAll(.notServing)
    await server.shutdown(gracePeriod: .seconds(5))
} catch {
    FileHandle.standardError.write("interop-server: \(error)\n".data(using: .utf8)!)
    exit(1)
}
