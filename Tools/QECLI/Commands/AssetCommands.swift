import ArgumentParser
import AssetAPI
import ProtoRuntime

// asset-service: assets and the network topology.

private typealias J = RequestJSON

public struct AssetCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "asset", abstract: "Assets and the grid topology (asset-service).",
        subcommands: [Get.self, List.self, Create.self, Downstream.self, Upstream.self])
    public init() {}

    static let assetColumns = [
        Column("ID", "assetId"), Column("TYPE", "assetType"), Column("CLASS", "assetClass"), Column("NAME", "displayName"),
        Column("STATUS", "status"), Column("PARENT", "parentAssetId"), Column("PREMISE", "premiseId"),
    ]

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one asset.")
        @Argument(help: "Asset id (AST-…).") var assetID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .asset).unary(
                AssetServiceMethods.getAsset, GetAssetRequest.self, J.object([("assetId", .string(assetID))]),
                GetAssetResponse.self, view: .record("asset"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists assets.")
        @Option(help: "Asset type: substation, feeder, transformer, service_point, electric_meter, …") var type: String?
        @Option(help: "Children of this asset (AST-…).") var parent: String?
        @Option(help: "Assets at this premise (PRM-…).") var premise: String?
        @Option(help: "Filter.") var filter: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .asset).unary(
                AssetServiceMethods.listAssets, ListAssetsRequest.self,
                J.object([
                    ("assetType", J.enumName("ASSET_TYPE", type)), ("parentAssetId", J.string(parent)),
                    ("premiseId", J.string(premise)), ("filter", J.string(filter)),
                ] + page.members),
                ListAssetsResponse.self, view: .table("assets", AssetCommand.assetColumns))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Creates an asset.")
        @Option(help: "Display name.") var name: String
        @Option(help: "substation, feeder, transformer, service_point, electric_meter, rooftop_solar, …") var type: String
        @Option(help: "generation, transmission, distribution, meter or customer_sited.") var `class`: String
        @Option(help: "electric or gas.") var commodity = "electric"
        @Option(help: "planned, in_service, out_of_service or retired.") var status = "in_service"
        @Option(help: "regulated or non_regulated.") var scope = "regulated"
        @Option(help: "Parent asset (AST-…).") var parent: String?
        @Option(help: "Premise (PRM-…) for meters and customer-sited assets.") var premise: String?
        @Option(help: "Idempotency key.") var requestID: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let asset = J.object([
                ("displayName", .string(name)), ("assetType", J.enumName("ASSET_TYPE", type)),
                ("assetClass", J.enumName("ASSET_CLASS", `class`)), ("commodity", J.enumName("COMMODITY", commodity)),
                ("status", J.enumName("ASSET_STATUS", status)), ("regulatoryScope", J.enumName("REGULATORY_SCOPE", scope)),
                ("premiseId", J.string(premise)), ("parentAssetId", J.string(parent)),
            ])
            try await RPCInvoker(global, .asset).unary(
                AssetServiceMethods.createAsset, CreateAssetRequest.self,
                J.object([("asset", asset), ("requestId", J.string(requestID))]), CreateAssetResponse.self, view: .record("asset"))
        }
    }

    struct Downstream: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything fed by an asset, breadth-first.")
        @Argument(help: "Asset id (AST-…).") var assetID: String
        @Option(help: "Levels below the asset (0 = all).") var maxDepth: Int?
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .asset).unary(
                AssetServiceMethods.getDownstream, GetDownstreamRequest.self,
                J.object([("assetId", .string(assetID)), ("maxDepth", J.int(maxDepth))] + page.members),
                GetDownstreamResponse.self,
                view: .sections([
                    ("downstream", .table("nodes", [
                        Column("DEPTH", "depth", right: true), Column("ID", "assetId"), Column("TYPE", "assetType"),
                        Column("NAME", "displayName"), Column("STATUS", "status"), Column("PARENT", "parentAssetId"),
                        Column("PREMISE", "premiseId"),
                    ])),
                    ("total", .fields([Column("assets", "totalSize")])),
                ]))
        }
    }

    struct Upstream: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The path from an asset up to the root of its network.")
        @Argument(help: "Asset id (AST-…).") var assetID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .asset).unary(
                AssetServiceMethods.getUpstreamPath, GetUpstreamPathRequest.self, J.object([("assetId", .string(assetID))]),
                GetUpstreamPathResponse.self, view: .table("path", AssetCommand.assetColumns))
        }
    }
}
