// interop-client: runs gRPC's interop test cases with our client against any TestService.
// `interop-client --server_host H --server_port N --test_case NAME` (exit 0 on pass);
// `--test_case all` runs every case and prints one line each. `--strict_compression_probe=false`
// tolerates a server that cannot verify request compression (grpcio's Python server).
import Foundation
import InteropKit
import Transport

do {
    let flags = try InteropFlags(Array(CommandLine.arguments.dropFirst()))
    let host = flags["server_host"] ?? "127.0.0.1"
    let port = try flags.integer("server_port")
    if let tls = flags["use_tls"], tls != "false" { throw InteropFailure("TLS is not supported (h2c only)") }
    let testCase = flags["test_case"] ?? "all"
    let names = testCase == "all" ? InteropCases.names : [testCase]
    let channel = try GRPCChannel(target: "\(host):\(port)")
    defer { channel.close() }
    let cases = InteropCases(channel: channel, strictCompressionProbe: flags["strict_compression_probe"] != "false")
    var failed = 0
    for name in names {
        let started = ContinuousClock.now
        do {
            try await cases.run(name)
            print("PASS \(name) (\(ContinuousClock.now - started))")
        } catch {
            failed += 1
            print("FAIL \(name): \(error)")
        }
    }
    print("\(names.count - failed) passed, \(failed) failed")
    exit(failed == 0 ? 0 : 1)
} catch {
    FileHandle.standardError.write("interop-client: \(error)\n".data(using: .utf8)!)
    exit(2)
}
