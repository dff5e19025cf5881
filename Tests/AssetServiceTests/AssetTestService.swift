import AssetAPI
import AssetDomain
import AssetService
import QuantumTypes
import ServiceTestSupport

extension LoopbackService {
    /// asset-service's handler over a fresh store, on a loopback port.
    static func asset() async throws -> LoopbackService {
        try await LoopbackService(name: "asset", schema: AssetSchema.schema) { store in
            [AssetServiceImpl(operations: AssetOperations(store: store, pages: pageTokens("asset")))]
        }
    }
}

enum AssetFixtures {
    static func asset(_ name: String, _ type: AssetType = .transformer, _ assetClass: AssetClass = .distribution) -> Asset {
        .with {
            $0.displayName = name
            $0.assetType = type
            $0.assetClass = assetClass
            $0.regulatoryScope = .regulated
            $0.commodity = .electric
        }
    }

    static func missingID(_ prefix: String) -> String { prefix + "-" + String(repeating: "0", count: 26) }
}
