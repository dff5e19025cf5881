import NIOCore
import NIOPosix
import Synchronization

/// HTTP/2 frames written by hand, for peers that misbehave on purpose.
enum RawFrames {
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8] = []) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags]
            + bigEndian(stream) + payload
    }

    static let settings = frame(type: 0x4)
    static let settingsAck = frame(type: 0x4, flags: 0x1)

    static func goAway(lastStream: UInt32, errorCode: UInt32, debug: String = "") -> [UInt8] {
        frame(type: 0x7, payload: bigEndian(lastStream) + bigEndian(errorCode) + Array(debug.utf8))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// Frame types in `bytes` (after the client preface when `skipPreface`), as far as complete.
    static func frameTypes(in bytes: [UInt8], skipPreface: Bool) -> [UInt8] {
        var index = skipPreface ? preface.count : 0
        var types: [UInt8] = []
        while index + 9 <= bytes.count {
            let length = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            guard index + 9 + length <= bytes.count else { break }
            types.append(bytes[index + 3])
            index += 9 + length
        }
        return types
    }
}

/// A server that answers the client's first request with GOAWAY(last-stream-id 0, NO_ERROR)
/// — the stream was never processed — having stopped listening, so a reconnect to it fails.
final class GoAwayOnceServer: Sendable {
    private let listener: any Channel
    private let requests: RequestCounter

    private init(listener: any Channel, requests: RequestCounter) {
        self.listener = listener
        self.requests = requests
    }

    var port: Int { listener.localAddress!.port! }
    var requestsSeen: Int { requests.count }

    static func start() async throws -> GoAwayOnceServer {
        let requests = RequestCounter()
        let listenerBox = Mutex<(any Channel)?>(nil)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Stop listening before refusing, so that the client's reconnect fails.
                    let stopListening: @Sendable () -> EventLoopFuture<Void> = {
                        let listener = listenerBox.withLock { $0 }!
                        return listener.close().flatMapErrorThrowing { _ in }.hop(to: channel.eventLoop)
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        GoAwayHandler(requests: requests, stopListening: stopListening))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        listenerBox.withLock { $0 = listener }
        return GoAwayOnceServer(listener: listener, requests: requests)
    }

    func close() async throws {
        try? await listener.close()
    }

    private final class GoAwayHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let requests: RequestCounter
        let stopListening: @Sendable () -> EventLoopFuture<Void>
        var received: [UInt8] = []
        var answered = false

        init(requests: RequestCounter, stopListening: @escaping @Sendable () -> EventLoopFuture<Void>) {
            self.requests = requests
            self.stopListening = stopListening
        }

        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: RawFrames.settings)), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            received += buffer.readBytes(length: buffer.readableBytes) ?? []
            guard !answered, received.count >= RawFrames.preface.count,
                  RawFrames.frameTypes(in: received, skipPreface: true).contains(0x1) else { return }
            answered = true
            requests.increment()
            let reply = ByteBuffer(bytes: RawFrames.settingsAck + RawFrames.goAway(lastStream: 0, errorCode: 0))
            let context = NIOLoopBound(context, eventLoop: context.eventLoop)
            stopListening().whenComplete { _ in
                context.value.writeAndFlush(NIOAny(reply), promise: nil)
            }
        }
    }
}

final class RequestCounter: Sendable {
    private let value = Atomic<Int>(0)
    func increment() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
