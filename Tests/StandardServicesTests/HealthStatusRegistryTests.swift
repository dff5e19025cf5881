import GRPCHealthV1
import RPCCore
import StandardServices
import XCTest

final class HealthStatusRegistryTests: XCTestCase {
    func testCheckKnowsTheServerAndItsServicesOnly() async throws {
        let registry = HealthStatusRegistry(services: ["a.A"])
        let service = HealthService(registry: registry)
        let context = ServerContext.forTesting(method: HealthMethods.check)
        let server = try await service.check(.with { $0.service = "" }, context: context)
        XCTAssertEqual(server.status, .serving)
        let named = try await service.check(.with { $0.service = "a.A" }, context: context)
        XCTAssertEqual(named.status, .serving)
        do {
            _ = try await service.check(.with { $0.service = "b.B" }, context: context)
            XCTFail("unknown service must be NOT_FOUND")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .notFound)
        }
    }

    func testWatchSeesTheCurrentStatusThenEveryChangeAndNothingElse() async throws {
        let registry = HealthStatusRegistry(services: ["a.A"])
        var iterator = registry.watch("a.A").makeAsyncIterator()
        registry.setStatus(.serving, for: "a.A")          // no change: not reported
        registry.setStatus(.notServing, for: "a.A")
        registry.setAll(.serving)
        let first = await iterator.next()
        let second = await iterator.next()
        let third = await iterator.next()
        XCTAssertEqual([first, second, third], [.serving, .notServing, .serving])
    }

    func testWatchingAnUnknownServiceSaysSoAndFollowsItsRegistration() async {
        let registry = HealthStatusRegistry()
        var iterator = registry.watch("later.Service").makeAsyncIterator()
        let unknown = await iterator.next()
        XCTAssertEqual(unknown, .serviceUnknown)
        registry.setStatus(.serving, for: "later.Service")
        let serving = await iterator.next()
        XCTAssertEqual(serving, .serving)
    }
}
