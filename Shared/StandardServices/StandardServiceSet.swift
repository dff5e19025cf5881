import GRPCHealthV1
import GRPCReflectionV1
import GRPCReflectionV1Alpha
import ProtoRuntime
import RPCCore

/// Health and reflection for a server, set up for the services it serves: register
/// `services` next to your own, and flip `health` when the process drains.
public struct StandardServiceSet: Sendable {
    /// Serving status per service (all SERVING at start).
    public let health: HealthStatusRegistry
    /// Health, reflection v1 and reflection v1alpha, ready to register.
    public let services: [any RPCService]

    /// `domainServices` are the server's own; `descriptors` their proto files with dependencies
    /// (e.g. `CustomerAPIDescriptors.filesWithDependencies`).
    public init(serving domainServices: [any RPCService], descriptors: [ProtoFileDescriptor]) {
        let names = domainServices.map(\.serviceName)
            + [HealthMethods.serviceName, GRPCReflectionV1.ServerReflectionMethods.serviceName,
               GRPCReflectionV1Alpha.ServerReflectionMethods.serviceName]
        let files = ProtoFileDescriptor.merging(
            descriptors, GRPCHealthV1Descriptors.filesWithDependencies,
            GRPCReflectionV1Descriptors.filesWithDependencies, GRPCReflectionV1AlphaDescriptors.filesWithDependencies)
        let index = ReflectionIndex(files: files, serviceNames: names)
        health = HealthStatusRegistry(services: domainServices.map(\.serviceName))
        services = [HealthService(registry: health), ReflectionV1Service(index: index), ReflectionV1AlphaService(index: index)]
    }
}
