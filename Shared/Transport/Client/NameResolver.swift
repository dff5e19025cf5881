#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a target's `host:port` into the addresses to connect to, one subchannel each, so
/// that pick-first can fall over and round-robin can spread across a name's addresses.
struct NameResolver: Sendable {
    let resolve: @Sendable (Endpoint) -> [Endpoint]

    /// The system resolver (getaddrinfo: /etc/hosts, DNS). A name that does not resolve now
    /// is kept as it is, so the channel stays lazy: connecting reports the failure per call.
    static let system = NameResolver { endpoint in
        let addresses = lookUp(host: endpoint.host)
        return addresses.isEmpty ? [endpoint] : addresses.map { Endpoint(host: $0, port: endpoint.port) }
    }

    /// The numeric addresses of `host`, in the resolver's preference order, without duplicates.
    static func lookUp(host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let list else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var next: UnsafeMutablePointer<addrinfo>? = list
        while let info = next {
            next = info.pointee.ai_next
            guard let address = info.pointee.ai_addr else { continue }
            var name = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let status = getnameinfo(
                address, info.pointee.ai_addrlen, &name, socklen_t(name.count), nil, 0, NI_NUMERICHOST)
            guard status == 0 else { continue }
            let text = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !addresses.contains(text) { addresses.append(text) }
        }
        return addresses
    }
}
