import Foundation
import RPCCore
import ServiceKit
import Transport

/// One service under test on real sockets: a migrated SQLite store in a fresh temporary
/// directory, a `GRPCServer` on an ephemeral 127.0.0.1 port serving it, and a `GRPCChannel`
/// to that port. Tests call the service only through the channel (or seed the store).
public final class LoopbackService: Sendable {
    public let directory: String
    public let store: SQLiteStore
    public let channel: GRPCChannel
    private let server: GRPCServer

    /// `services` builds the handlers over the freshly migrated store.
    public init(name: String, schema: StoreSchema, services: (SQLiteStore) -> [any RPCService]) async throws {
        directory = NSTemporaryDirectory() + "\(name)-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try await SQLiteStore.open(path: directory + "/\(name).sqlite3", schema: schema)
        server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: services(store))
        try await server.start()
        guard let port = server.port else { throw RPCError(code: .internal, message: "the test server has no bound port") }
        channel = try GRPCChannel(target: "127.0.0.1:\(port)")
    }

    /// A page-token codec with a fixed test secret.
    public static func pageTokens(_ name: String) -> PageTokenCodec {
        PageTokenCodec(secret: Array("\(name)-tests-page-token-secret".utf8))
    }

    public func stop() async {
        channel.close()
        await server.shutdown(gracePeriod: .seconds(1))
        await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
