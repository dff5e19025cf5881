#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds ports that are already taken before any child starts, so the message can name the
/// service and the port instead of a child's bind error in the middle of the logs.
public enum PortProbe {
    /// True when a TCP listener could bind `host:port` right now.
    public static func isFree(host: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // The services set SO_REUSEADDR too, so a port in TIME_WAIT counts as free, as it is for them.
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else { return false }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0
    }

    /// Every gRPC and admin port of the mesh that is taken, each with a message naming it.
    public static func conflicts(
        in layout: MeshLayout, services: [MeshService] = MeshService.all,
        isFree: (String, Int) -> Bool = { isFree(host: $0, port: $1) }
    ) -> [PortConflict] {
        services.flatMap { service in
            [(layout.grpcPort(service), "gRPC"), (layout.adminPort(service), "admin")]
                .filter { !isFree(layout.host, $0.0) }
                .map { PortConflict(service: service, host: layout.host, port: $0.0, purpose: $0.1) }
        }
    }
}

/// A mesh port that something else already listens on.
public struct PortConflict: Sendable, Hashable, CustomStringConvertible {
    public let service: MeshService
    public let host: String
    public let port: Int
    /// "gRPC" or "admin".
    public let purpose: String

    public var description: String {
        "\(service.executable): \(purpose) port \(host):\(port) is already in use "
            + "(another mesh or program listens there; stop it, or move the mesh with --grpc-port-base / --admin-port-base)"
    }
}
