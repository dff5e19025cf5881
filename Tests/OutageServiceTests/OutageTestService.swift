import Foundation
import OutageAPI
import OutageDomain
import OutageService
import ProtoRuntime
import QuantumTypes
import ServiceTestSupport

extension LoopbackService {
    /// outage-service's handler over a fresh store, on a loopback port.
    static func outage() async throws -> LoopbackService {
        try await LoopbackService(name: "outage", schema: OutageSchema.schema) { store in
            [OutageServiceImpl(operations: OutageOperations(store: store, pages: pageTokens("outage")))]
        }
    }
}

enum OutageFixtures {
    /// 2025-03-03T00:00:00Z.
    static let t0: Int64 = 1_740_960_000

    static func premise(_ n: Int) -> String { "PRM-" + String(format: "%026d", n) }
    static func asset(_ n: Int) -> String { "AST-" + String(format: "%026d", n) }
    static func missingID(_ prefix: String) -> String { prefix + "-" + String(repeating: "0", count: 26) }

    static func outage(start: Int64, customers: Int64, premises: [String] = [], commodity: Commodity = .electric) -> OutageEvent {
        .with {
            $0.commodity = commodity
            $0.cause = .weather
            $0.startTime = Timestamp(seconds: start)
            $0.customersAffected = customers
            $0.affectedPremiseIDs = premises
        }
    }
}
