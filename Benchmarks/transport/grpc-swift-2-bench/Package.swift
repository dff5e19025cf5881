// swift-tools-version:6.1
// Benchmark-only package: a grpc-swift-2 server of grpc.testing.TestService, the peer that
// Benchmarks/transport/run measures next to our interop-server. It is deliberately a separate
// package so that grpc-swift-2 and its dependencies never enter the product's build graph.
// (The folder is not called grpc-swift-2: a root package takes its identity from its folder,
// and that would collide with the grpc-swift-2 dependency.)
import PackageDescription

let package = Package(
  name: "grpc-swift-2-bench",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "grpc-swift-2-interop-server", targets: ["GRPCSwift2InteropServer"])
  ],
  dependencies: [
    .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
    .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
  ],
  targets: [
    .executableTarget(
      name: "GRPCSwift2InteropServer",
      dependencies: [
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]
    )
  ]
)
