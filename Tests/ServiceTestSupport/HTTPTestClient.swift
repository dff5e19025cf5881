import Foundation

/// A deliberately tiny HTTP/1.1 client over a POSIX socket (URLSession is unreliable on
/// Linux): sends raw request text, reads until the server closes or `expectedResponses`
/// complete responses arrived.
public struct RawHTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: String
}

public enum HTTPTestClient {
    public static func get(port: Int, path: String, method: String = "GET") throws -> RawHTTPResponse {
        try request(port: port, method: method, path: path)
    }

    /// One request with `headers` and `body` (Content-Length set when there is a body).
    public static func request(
        port: Int, method: String, path: String, headers: [String: String] = [:], body: String = ""
    ) throws -> RawHTTPResponse {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        if !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        return try XCTUnwrapFirst(try exchange(port: port, request: text, expectedResponses: 1, bodiless: method == "HEAD"))
    }

    /// Sends `request` (possibly several pipelined requests) on one connection.
    /// `bodiless`: responses carry no body whatever their Content-Length (answers to HEAD).
    public static func exchange(port: Int, request: String, expectedResponses: Int, bodiless: Bool = false) throws -> [RawHTTPResponse] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPTestError("socket failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTPTestError("connect to \(port) failed: errno \(errno)") }
        let bytes = Array(request.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw HTTPTestError("send failed") }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let responses = parse(received, bodiless: bodiless), responses.count >= expectedResponses { return responses }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        guard let responses = parse(received, bodiless: bodiless) else { throw HTTPTestError("incomplete response: \(String(decoding: received, as: UTF8.self))") }
        return responses
    }

    /// Complete responses in `bytes` (Content-Length framed); nil if none is complete yet.
    private static func parse(_ bytes: [UInt8], bodiless: Bool) -> [RawHTTPResponse]? {
        var responses: [RawHTTPResponse] = []
        var rest = bytes[...]
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while let end = rest.firstRange(of: separator) {
            let headText = String(decoding: rest[rest.startIndex..<end.lowerBound], as: UTF8.self)
            var lines = headText.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ")
            guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyLength = bodiless ? 0 : length
            let bodyStart = end.upperBound
            guard rest.distance(from: bodyStart, to: rest.endIndex) >= bodyLength else { break }
            let bodyEnd = rest.index(bodyStart, offsetBy: bodyLength)
            responses.append(RawHTTPResponse(status: status, headers: headers, body: String(decoding: rest[bodyStart..<bodyEnd], as: UTF8.self)))
            rest = rest[bodyEnd...]
        }
        return responses.isEmpty ? nil : responses
    }
}

public struct HTTPTestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

private func XCTUnwrapFirst(_ responses: [RawHTTPResponse]) throws -> RawHTTPResponse {
    guard let first = responses.first else { throw HTTPTestError("no response") }
    return first
}
