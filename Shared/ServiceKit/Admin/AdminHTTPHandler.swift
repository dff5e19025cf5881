import NIOCore
import NIOHTTP1

/// Serves ``AdminRoutes`` on one HTTP/1.1 connection.
///
/// NIO's pipelining helper hands this handler one request at a time, so each response goes
/// out in order. The route runs as a task (readiness may `await`); the response is written
/// back on the channel's event loop.
final class AdminHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The largest request body read (the JSON front's requests are small); more is 413.
    static let maxBodyBytes = 1 << 20

    private let routes: AdminRoutes
    private var requestHead: HTTPRequestHead?
    private var body: [UInt8] = []
    private var readsBody = false
    private var bodyTooLarge = false

    init(routes: AdminRoutes) {
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestHead = head
            body = []
            bodyTooLarge = false
            // Only the service's API takes a body; /metrics and the probes ignore one.
            readsBody = routes.acceptsBody(path: AdminRequest.path(of: head.uri))
        case .body(let buffer):
            guard readsBody, !bodyTooLarge else { return }
            if body.count + buffer.readableBytes > Self.maxBodyBytes {
                bodyTooLarge = true
                body = []
            } else {
                body += buffer.readableBytesView
            }
        case .end:
            guard let head = requestHead else { return }
            requestHead = nil
            let routes = self.routes
            let promise = context.eventLoop.makePromise(of: AdminResponse.self)
            if bodyTooLarge {
                promise.succeed(AdminResponse(
                    status: .payloadTooLarge, body: "the request body is larger than \(Self.maxBodyBytes) bytes\n"))
            } else {
                let request = AdminRequest(method: head.method, uri: head.uri, headers: head.headers, body: body)
                body = []
                promise.completeWithTask { await routes.respond(to: request) }
            }
            promise.futureResult.assumeIsolated().whenSuccess { response in
                self.write(response, for: head, context: context)
            }
        }
    }

    private func write(_ response: AdminResponse, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        var body = context.channel.allocator.buffer(capacity: response.body.utf8.count)
        body.writeString(response.body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Cache-Control", value: "no-store")
        for (name, value) in response.extraHeaders.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        let keepAlive = request.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")

        let head = HTTPResponseHead(version: request.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        if !keepAlive {
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
