// swift-tools-version: 6.0
// The Quantum Energy mesh: gRPC over HTTP/2 (nghttp2) with protobuf-c messages, on SwiftNIO.
import PackageDescription

// Swift modules generated from proto/ by Tools/ProtocGenQSwift (one per proto package).
// name → (directory under Shared/API, modules it imports).
let generatedAPIs: [(name: String, deps: [String])] = [
    ("QuantumTypes", []),
    ("CustomerAPI", ["QuantumTypes"]),
    ("MeteringAPI", ["QuantumTypes"]),
    ("AssetAPI", ["QuantumTypes"]),
    ("OutageAPI", ["QuantumTypes"]),
    ("FinanceAPI", ["QuantumTypes"]),
    ("GatewayAPI", ["QuantumTypes", "CustomerAPI", "MeteringAPI", "AssetAPI", "OutageAPI", "FinanceAPI"]),
    ("FieldKindsTesting", ["QuantumTypes"]),
    ("GRPCHealthV1", []),
    ("GRPCReflectionV1", []),
    ("GRPCReflectionV1Alpha", []),
    ("GRPCTesting", []),
]

let apiTargets: [Target] = generatedAPIs.map { api in
    .target(
        name: api.name,
        dependencies: ["ProtoRuntime", "CProtos", "RPCCore"] + api.deps.map { .target(name: $0) },
        path: "Shared/API/\(api.name)"
    )
}

let package = Package(
    name: "QuantumMesh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "protoc-gen-qswift", targets: ["ProtocGenQSwift"]),
        .executable(name: "interop-server", targets: ["InteropServer"]),
        .executable(name: "interop-client", targets: ["InteropClient"]),
        .executable(name: "customer-service", targets: ["CustomerServiceMain"]),
        .executable(name: "metering-service", targets: ["MeteringServiceMain"]),
        .executable(name: "finance-service", targets: ["FinanceServiceMain"]),
        .executable(name: "asset-service", targets: ["AssetServiceMain"]),
        .executable(name: "outage-service", targets: ["OutageServiceMain"]),
        .executable(name: "qe", targets: ["QE"]),
        .executable(name: "demo-seed", targets: ["DemoSeed"]),
        .executable(name: "gateway", targets: ["GatewayMain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        // ServiceKit: HMAC page tokens, flags, logging, metrics and their Prometheus exposition.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Wire layer: system C libraries, found through pkg-config, installed by scripts/bootstrap.
        .systemLibrary(
            name: "CProtobufC", path: "Shared/CProtobufC", pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]),
        .systemLibrary(
            name: "CNGHTTP2", path: "Shared/CNGHTTP2", pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Shared/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        // protoc-c output for every proto in proto/ (generated, committed; scripts/generate).
        .target(
            name: "CProtos", dependencies: ["CProtobufC"], path: "Shared/CProtos",
            cSettings: [.unsafeFlags(["-Wno-unused-parameter"])]),
        // Message runtime: the ProtoMessage protocol, C-struct conversion helpers, proto3 JSON.
        .target(name: "ProtoRuntime", dependencies: ["CProtobufC", "CProtos"], path: "Shared/ProtoRuntime"),
        // RPC core: status, errors, metadata, deadlines, method descriptors. No sockets.
        .target(
            name: "RPCCore", dependencies: ["ProtoRuntime"], path: "Shared/RPCCore",
            exclude: ["CODEGEN.md"]),
        // Transport: gRPC over HTTP/2 on nghttp2 + NIO, server and client.
        .target(
            name: "Transport",
            dependencies: [
                "RPCCore", "CNGHTTP2", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            path: "Shared/Transport"),

        // Standard gRPC services every server exposes: health checking and server reflection.
        .target(
            name: "StandardServices",
            dependencies: ["RPCCore", "ProtoRuntime", "GRPCHealthV1", "GRPCReflectionV1", "GRPCReflectionV1Alpha"],
            path: "Shared/StandardServices"),

        // gRPC's interop test service and cases, and the two programs that run them.
        .target(
            name: "InteropKit",
            dependencies: ["GRPCTesting", "RPCCore", "ProtoRuntime"],
            path: "Tools/InteropKit"),
        .executableTarget(
            name: "InteropServer",
            dependencies: ["InteropKit", "GRPCTesting", "ServiceKit", "StandardServices", "Transport"],
            path: "Tools/InteropServer"),
        .executableTarget(
            name: "InteropClient",
            dependencies: ["InteropKit", "Transport"],
            path: "Tools/InteropClient"),

        // The protoc plugin that writes the Swift API from protoc-c's descriptors.
        .executableTarget(
            name: "ProtocGenQSwift", dependencies: ["CProtos", "CProtobufC", "ProtoRuntime"],
            path: "Tools/ProtocGenQSwift"),

        // Heap statistics for leak tests (glibc's mallinfo2 is not in Swift's Glibc module).
        .target(name: "CHeapProbe", path: "Tests/CHeapProbe"),
        // The seeded generator the fuzz tests share (so failures reproduce).
        .target(name: "FuzzSupport", path: "Tests/FuzzSupport"),
        .testTarget(
            name: "ProtoRuntimeTests",
            // Every generated module: DecoderFuzzTests decodes hostile bytes as each message type.
            dependencies: ["ProtoRuntime", "CHeapProbe", "FuzzSupport"] + generatedAPIs.map { .target(name: $0.name) },
            path: "Tests/ProtoRuntimeTests"),
        .testTarget(
            name: "StandardServicesTests",
            dependencies: ["StandardServices", "RPCCore", "ProtoRuntime", "GRPCHealthV1", "CustomerAPI"],
            path: "Tests/StandardServicesTests"),
        // Interop between real processes: ours and the reference implementation (grpcio).
        .testTarget(
            name: "InteropTests",
            dependencies: [.target(name: "InteropServer"), .target(name: "InteropClient"), "ServiceTestSupport"],
            path: "Tests/InteropTests"),
        .testTarget(
            name: "TransportTests",
            dependencies: ["Transport", "RPCCore", "ProtoRuntime", "CNGHTTP2", "GRPCTesting", "FuzzSupport"],
            path: "Tests/TransportTests"),

        // ServiceKit: what every service process shares — store, ids, paging, idempotency,
        // config, logging, metrics, admin HTTP port, lifecycle.
        .systemLibrary(
            name: "CSQLite", path: "Shared/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "ServiceKit",
            dependencies: [
                "CSQLite", "RPCCore", "ProtoRuntime", "QuantumTypes", "Transport", "StandardServices", "GRPCHealthV1",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Shared/ServiceKit", exclude: ["README.md"]),
        // Writes to a store in a loop, printing each commit; ServiceKitTests kill -9 it mid-write.
        .executableTarget(name: "StoreCrashHelper", dependencies: ["ServiceKit"], path: "Tools/StoreCrashHelper"),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: [
                "ServiceKit", "StoreCrashHelper", "RPCCore", "Transport", "GRPCHealthV1", "QuantumTypes", "ServiceTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/ServiceKitTests"),

        // customer-service (issue 5): domain rules + repository, the gRPC handler, the process.
        .target(
            name: "CustomerDomain",
            dependencies: ["ServiceKit", "CustomerAPI", "QuantumTypes", "ProtoRuntime", "RPCCore"],
            path: "Services/Customer/CustomerDomain"),
        .target(
            name: "CustomerService",
            dependencies: ["CustomerDomain", "CustomerAPI", "QuantumTypes", "ProtoRuntime", "RPCCore", "ServiceKit", "MeshAuth"],
            path: "Services/Customer/CustomerService"),
        .executableTarget(
            name: "CustomerServiceMain",
            dependencies: [
                "CustomerService", "CustomerDomain", "CustomerAPI", "ServiceKit", "MeshAuth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Customer", exclude: ["CustomerDomain", "CustomerService"], sources: ["main.swift"]),
        .testTarget(
            name: "CustomerServiceTests",
            dependencies: [
                "CustomerDomain", "CustomerService", "CustomerServiceMain", "CustomerAPI", "QuantumTypes",
                "ProtoRuntime", "RPCCore", "ServiceKit", "Transport", "ServiceTestSupport",
            ],
            path: "Tests/CustomerServiceTests"),

        // metering-service (issue 6): meter points, interval data, profiles, VEE, DER telemetry.
        .target(
            name: "MeteringDomain",
            dependencies: ["ServiceKit", "MeteringAPI", "QuantumTypes", "ProtoRuntime", "RPCCore"],
            path: "Services/Metering/MeteringDomain"),
        .target(
            name: "MeteringService",
            dependencies: ["MeteringDomain", "MeteringAPI", "CustomerAPI", "QuantumTypes", "ProtoRuntime", "RPCCore", "Transport", "MeshAuth", "ServiceKit"],
            path: "Services/Metering/MeteringService"),
        .executableTarget(
            name: "MeteringServiceMain",
            dependencies: [
                "MeteringService", "MeteringDomain", "MeteringAPI", "ServiceKit", "MeshAuth", "Transport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Metering", exclude: ["MeteringDomain", "MeteringService"], sources: ["main.swift"]),
        .testTarget(
            name: "MeteringServiceTests",
            dependencies: [
                "MeteringDomain", "MeteringService", "MeteringServiceMain", "MeteringAPI", "QuantumTypes", "CustomerAPI", "CustomerServiceMain",
                "ProtoRuntime", "RPCCore", "ServiceKit", "Transport", "ServiceTestSupport", "MeshAuth",
            ],
            path: "Tests/MeteringServiceTests"),

        // finance-service (issue 8): ledger, tariffs and billing, filings, compliance, allocations, budgets.
        .target(
            name: "FinanceDomain",
            dependencies: ["ServiceKit", "FinanceAPI", "QuantumTypes", "ProtoRuntime", "RPCCore"],
            path: "Services/Finance/FinanceDomain"),
        .target(
            name: "FinanceService",
            dependencies: ["FinanceDomain", "FinanceAPI", "QuantumTypes", "ProtoRuntime", "RPCCore", "ServiceKit", "MeshAuth", "CustomerAPI"],
            path: "Services/Finance/FinanceService"),
        .executableTarget(
            name: "FinanceServiceMain",
            dependencies: [
                "FinanceService", "FinanceDomain", "FinanceAPI", "ServiceKit", "MeshAuth", "Transport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Finance", exclude: ["FinanceDomain", "FinanceService"], sources: ["main.swift"]),
        .testTarget(
            name: "FinanceServiceTests",
            dependencies: [
                "FinanceDomain", "FinanceService", "FinanceAPI", "QuantumTypes",
                "ProtoRuntime", "RPCCore", "ServiceKit", "Transport",
                // The separation tests of BatchGetAccountActivity: customer-service with authentication.
                "MeshAuth", "CustomerAPI", "CustomerDomain", "CustomerService", "ServiceTestSupport",
            ],
            path: "Tests/FinanceServiceTests"),

        // asset-service and outage-service (issue 7): domain rules + store, the gRPC handler, the process.
        .target(
            name: "AssetDomain",
            dependencies: ["ServiceKit", "AssetAPI", "QuantumTypes", "ProtoRuntime", "RPCCore"],
            path: "Services/Asset/AssetDomain"),
        .target(
            name: "AssetService",
            dependencies: ["AssetDomain", "AssetAPI", "QuantumTypes", "ProtoRuntime", "RPCCore", "ServiceKit", "MeshAuth"],
            path: "Services/Asset/AssetService"),
        .executableTarget(
            name: "AssetServiceMain",
            dependencies: [
                "AssetService", "AssetDomain", "AssetAPI", "ServiceKit", "MeshAuth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Asset", exclude: ["AssetDomain", "AssetService"], sources: ["main.swift"]),
        .testTarget(
            name: "AssetServiceTests",
            dependencies: [
                "AssetDomain", "AssetService", "AssetAPI", "QuantumTypes", "ProtoRuntime", "RPCCore", "ServiceKit", "Transport",
                "ServiceTestSupport",
            ],
            path: "Tests/AssetServiceTests"),
        .target(
            name: "OutageDomain",
            dependencies: ["ServiceKit", "OutageAPI", "QuantumTypes", "ProtoRuntime", "RPCCore"],
            path: "Services/Outage/OutageDomain"),
        .target(
            name: "OutageService",
            dependencies: ["OutageDomain", "OutageAPI", "QuantumTypes", "ProtoRuntime", "RPCCore", "ServiceKit", "MeshAuth"],
            path: "Services/Outage/OutageService"),
        .executableTarget(
            name: "OutageServiceMain",
            dependencies: [
                "OutageService", "OutageDomain", "OutageAPI", "ServiceKit", "MeshAuth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Outage", exclude: ["OutageDomain", "OutageService"], sources: ["main.swift"]),
        .testTarget(
            name: "OutageServiceTests",
            dependencies: [
                "OutageDomain", "OutageService", "OutageAPI", "QuantumTypes", "ProtoRuntime", "RPCCore", "ServiceKit", "Transport",
                "ServiceTestSupport",
            ],
            path: "Tests/OutageServiceTests"),
        // The asset and outage socket tests' harness: a service on a loopback port, status assertions.
        .target(
            name: "ServiceTestSupport",
            dependencies: ["RPCCore", "ServiceKit", "Transport", "MeshAuth"],
            path: "Tests/ServiceTestSupport"),
        // Identity and separation (issue 11): Ed25519 JWT bearer tokens, the auth interceptor,
        // the caller identity handlers see, and the regulated / non-regulated separation policy.
        .target(
            name: "MeshAuth",
            dependencies: [
                "RPCCore", "ServiceKit", "QuantumTypes", "CustomerAPI", "Transport", "ProtoRuntime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/Auth"),
        .testTarget(
            name: "AuthTests",
            dependencies: [
                "MeshAuth", "RPCCore", "Transport", "ServiceKit", "ProtoRuntime", "QuantumTypes",
                "CustomerAPI", "CustomerDomain", "CustomerService", "GRPCHealthV1", "StandardServices",
                "FinanceAPI", "FinanceDomain", "FinanceService", "MeteringAPI", "MeteringDomain", "MeteringService",
                "CustomerServiceMain", "ServiceTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/AuthTests"),
        // gateway (issue 9): cross-domain fan-out over the five services' typed clients.
        .target(
            name: "GatewayCore",
            dependencies: [
                "GatewayAPI", "CustomerAPI", "MeteringAPI", "AssetAPI", "OutageAPI", "FinanceAPI", "QuantumTypes",
                "ProtoRuntime", "RPCCore", "Transport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Services/Gateway/GatewayCore"),
        .target(
            name: "GatewayService",
            dependencies: ["GatewayCore", "GatewayAPI", "MeteringAPI", "QuantumTypes", "ProtoRuntime", "RPCCore"],
            path: "Services/Gateway/GatewayService"),
        .target(
            name: "GatewayHTTP",
            dependencies: [
                "GatewayAPI", "GatewayCore", "ProtoRuntime", "RPCCore", "ServiceKit", "Transport",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Services/Gateway/GatewayHTTP"),
        .executableTarget(
            name: "GatewayMain",
            dependencies: [
                "GatewayService", "GatewayCore", "GatewayHTTP", "GatewayAPI", "ServiceKit", "Transport", "MeshAuth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Gateway", exclude: ["GatewayCore", "GatewayService", "GatewayHTTP", "README.md"], sources: ["main.swift"]),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "GatewayCore", "GatewayService", "GatewayHTTP", "GatewayMain", "GatewayAPI", "CustomerAPI", "MeteringAPI", "AssetAPI",
                "OutageAPI", "FinanceAPI", "QuantumTypes", "ProtoRuntime", "RPCCore", "Transport", "GRPCHealthV1",
                "CustomerServiceMain", "MeteringServiceMain", "AssetServiceMain", "OutageServiceMain", "FinanceServiceMain",
                "ServiceTestSupport", "MeshAuth",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            path: "Tests/GatewayTests"),

        // Demo data (issue 10): a seeded plan of a synthetic utility, and the loader that sends it
        // to a running mesh over gRPC; `demo-seed` is the command.
        .target(
            name: "DemoData",
            dependencies: [
                "CustomerAPI", "MeteringAPI", "AssetAPI", "OutageAPI", "FinanceAPI", "QuantumTypes", "ProtoRuntime", "RPCCore",
                "Transport",
            ],
            path: "Tools/DemoData"),
        .executableTarget(
            name: "DemoSeed",
            dependencies: ["DemoData", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/DemoSeed"),
        .testTarget(
            name: "DemoSeedTests",
            dependencies: [
                "DemoData", "DemoSeed", "CustomerServiceMain", "MeteringServiceMain", "AssetServiceMain", "OutageServiceMain",
                "FinanceServiceMain", "CustomerAPI", "MeteringAPI", "AssetAPI", "OutageAPI", "FinanceAPI", "QuantumTypes",
                "ProtoRuntime", "RPCCore", "Transport", "ServiceTestSupport",
            ],
            path: "Tests/DemoSeedTests"),

        // qe: the CLI (typed commands per domain, the gateway's queries, health) and the local
        // mesh runner (`qe mesh up|status|stop`), issue 10.
        .target(
            name: "QECLI",
            dependencies: [
                "Transport", "RPCCore", "ProtoRuntime", "ServiceKit", "GRPCHealthV1", "MeshAuth",
                "CustomerAPI", "MeteringAPI", "AssetAPI", "OutageAPI", "FinanceAPI", "GatewayAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/QECLI"),
        .executableTarget(name: "QE", dependencies: ["QECLI"], path: "Tools/QE"),
        .testTarget(
            name: "MeshTests",
            dependencies: ["QECLI", "QE", "ProtoRuntime", "RPCCore", "MeshAuth", "ServiceTestSupport"],
            path: "Tests/MeshTests"),
    ] + apiTargets,
    swiftLanguageModes: [.v6]
)
