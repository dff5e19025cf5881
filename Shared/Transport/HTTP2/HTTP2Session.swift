import CNGHTTP2
import NIOCore

/// One nghttp2 session: the sole owner of the `nghttp2_session*`, freed in `deinit`.
///
/// nghttp2's `user_data` is this object, unretained: callbacks only run inside the methods
/// below, while the caller holds a reference. The delegate (the connection handler that owns
/// this session) is unowned so the two do not keep each other alive. Event-loop confined.
final class HTTP2Session {
    enum Role { case server, client }

    struct Settings {
        var maxConcurrentStreams: UInt32 = 100
        var initialWindowSize: UInt32 = 1 << 20
        var connectionWindowSize: Int32 = 8 << 20
        var maxHeaderListSize: UInt32 = 8 << 10
        var maxFrameSize: UInt32 = 16_384
    }

    private let session: OpaquePointer
    unowned let delegate: any HTTP2SessionDelegate

    /// Fails only when nghttp2 cannot allocate.
    init(role: Role, delegate: any HTTP2SessionDelegate, settings: Settings, resetRateLimit: (burst: UInt64, rate: UInt64)? = nil) throws {
        self.delegate = delegate
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else { throw HTTP2Error.outOfMemory }
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.install(callbacks)

        var option: OpaquePointer?
        guard nghttp2_option_new(&option) == 0, let option else { throw HTTP2Error.outOfMemory }
        defer { nghttp2_option_del(option) }
        // We return window only as the application consumes data (inbound backpressure).
        nghttp2_option_set_no_auto_window_update(option, 1)
        if let resetRateLimit {
            nghttp2_option_set_stream_reset_rate_limit(option, resetRateLimit.burst, resetRateLimit.rate)
        }

        var raw: OpaquePointer?
        // `self` is not fully initialised yet, so the session starts with no user data.
        let status = role == .server
            ? nghttp2_session_server_new2(&raw, callbacks, nil, option)
            : nghttp2_session_client_new2(&raw, callbacks, nil, option)
        guard status == 0, let raw else { throw HTTP2Error.outOfMemory }
        self.session = raw
        nghttp2_session_set_user_data(raw, Unmanaged.passUnretained(self).toOpaque())

        var entries = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: settings.maxConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: settings.initialWindowSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: settings.maxHeaderListSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_FRAME_SIZE.rawValue), value: settings.maxFrameSize),
        ]
        if role == .client { entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0)) }
        _ = nghttp2_submit_settings(raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), entries, entries.count)
        // The connection window starts at 64 KiB whatever SETTINGS say; raise it once.
        let increment = settings.connectionWindowSize - 65_535
        if increment > 0 {
            _ = nghttp2_submit_window_update(raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, increment)
        }
    }

    deinit { nghttp2_session_del(session) }

    // MARK: Input and output

    /// Feeds received bytes; returns false when the connection must be closed (nghttp2 has
    /// queued a GOAWAY where appropriate).
    func receive(_ buffer: ByteBuffer) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress else { return true }
            let consumed = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
            return consumed >= 0
        }
    }

    /// Appends every frame nghttp2 has ready to `output` (one buffer per flush). Returns false on
    /// a fatal session error.
    func drainOutput(into output: inout ByteBuffer) -> Bool {
        while true {
            var data: UnsafePointer<UInt8>?
            let length = nghttp2_session_mem_send(session, &data)
            if length < 0 { return false }
            guard length > 0, let data else { return true }
            output.writeBytes(UnsafeRawBufferPointer(start: data, count: length))
        }
    }

    var wantsRead: Bool { nghttp2_session_want_read(session) != 0 }
    var wantsWrite: Bool { nghttp2_session_want_write(session) != 0 }

    // MARK: Submitting frames

    /// Server: response HEADERS. With `hasBody`, DATA follows through `readData`; without, the
    /// HEADERS frame ends the stream (Trailers-Only, or a plain HTTP error).
    @discardableResult
    func submitResponse(stream: Int32, headers: HeaderBlock, hasBody: Bool) -> Bool {
        headers.withNVArray { nva, count in
            if hasBody {
                var provider = Self.dataProvider()
                return nghttp2_submit_response(session, stream, nva, count, &provider) == 0
            }
            return nghttp2_submit_response(session, stream, nva, count, nil) == 0
        }
    }

    /// Client: opens a stream; request DATA comes through `readData`. Returns the stream id.
    func submitRequest(headers: HeaderBlock) -> Int32 {
        headers.withNVArray { nva, count in
            var provider = Self.dataProvider()
            return nghttp2_submit_request(session, nil, nva, count, &provider, nil)
        }
    }

    /// Trailers (HEADERS with END_STREAM) after the stream's last DATA frame.
    @discardableResult
    func submitTrailer(stream: Int32, headers: HeaderBlock) -> Bool {
        headers.withNVArray { nva, count in nghttp2_submit_trailer(session, stream, nva, count) == 0 }
    }

    func resumeData(stream: Int32) {
        _ = nghttp2_session_resume_data(session, stream)
    }

    func resetStream(_ stream: Int32, errorCode: UInt32) {
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, errorCode)
    }

    /// Returns flow-control window: for the connection immediately, for a stream as its reader
    /// consumes the data.
    func consumeConnection(_ bytes: Int) {
        if bytes > 0 { _ = nghttp2_session_consume_connection(session, bytes) }
    }

    func consumeStream(_ stream: Int32, _ bytes: Int) {
        if bytes > 0 { _ = nghttp2_session_consume_stream(session, stream, bytes) }
    }

    /// GOAWAY announcing that no streams above `lastStreamID` will be processed.
    func submitGoAway(lastStreamID: Int32, errorCode: UInt32, debugData: String = "") {
        var debug = Array(debugData.utf8)
        _ = debug.withUnsafeMutableBufferPointer { buffer in
            nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), lastStreamID, errorCode, buffer.baseAddress, buffer.count)
        }
    }

    /// Server: the first GOAWAY of a graceful shutdown (last stream id 2^31-1).
    func submitShutdownNotice() {
        _ = nghttp2_submit_shutdown_notice(session)
    }

    func submitPing() {
        _ = nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
    }

    /// The highest stream id the peer opened that we processed (for GOAWAY).
    var lastProcessedStreamID: Int32 { nghttp2_session_get_last_proc_stream_id(session) }

    /// The peer's SETTINGS_MAX_CONCURRENT_STREAMS.
    var remoteMaxConcurrentStreams: UInt32 {
        nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS)
    }

    // MARK: Callbacks

    private static func delegate(_ userData: UnsafeMutableRawPointer?) -> any HTTP2SessionDelegate {
        Unmanaged<HTTP2Session>.fromOpaque(userData!).takeUnretainedValue().delegate
    }

    private static func dataProvider() -> nghttp2_data_provider {
        var provider = nghttp2_data_provider()
        provider.read_callback = { _, stream, buffer, length, flags, _, userData in
            var dataFlags: UInt32 = 0
            let destination = UnsafeMutableRawBufferPointer(start: buffer, count: length)
            guard let written = HTTP2Session.delegate(userData).readData(stream: stream, into: destination, flags: &dataFlags) else {
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
            flags?.pointee |= dataFlags
            return written
        }
        return provider
    }

    private static func install(_ callbacks: OpaquePointer) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            HTTP2Session.delegate(userData).beginHeaders(stream: frame!.pointee.hd.stream_id)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            let accepted = HTTP2Session.delegate(userData).header(
                stream: frame!.pointee.hd.stream_id,
                name: UnsafeBufferPointer(start: name, count: nameLength),
                value: UnsafeBufferPointer(start: value, count: valueLength))
            return accepted ? 0 : Int32(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            let header = frame!.pointee.hd
            let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            let delegate = HTTP2Session.delegate(userData)
            switch UInt32(header.type) {
            case NGHTTP2_HEADERS.rawValue:
                delegate.headersComplete(stream: header.stream_id, endStream: endStream)
            case NGHTTP2_DATA.rawValue:
                if endStream { delegate.dataEndStream(stream: header.stream_id) }
            case NGHTTP2_GOAWAY.rawValue:
                let goAway = frame!.pointee.goaway
                let debugData = goAway.opaque_data.map { [UInt8](UnsafeBufferPointer(start: $0, count: goAway.opaque_data_len)) } ?? []
                delegate.goAwayReceived(lastStreamID: goAway.last_stream_id, errorCode: goAway.error_code, debugData: debugData)
            case NGHTTP2_PING.rawValue:
                delegate.pingReceived(ack: header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0)
            case NGHTTP2_RST_STREAM.rawValue:
                delegate.resetReceived(stream: header.stream_id)
            case NGHTTP2_SETTINGS.rawValue:
                if header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 { delegate.settingsReceived() }
            default:
                break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, stream, data, length, userData in
            HTTP2Session.delegate(userData).dataChunk(stream: stream, bytes: UnsafeRawBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, stream, errorCode, userData in
            HTTP2Session.delegate(userData).streamClosed(stream: stream, errorCode: errorCode)
            return 0
        }
    }
}

enum HTTP2Error: Error {
    case outOfMemory
}

/// HTTP/2 error codes we send or interpret (RFC 9113 §7).
enum HTTP2ErrorCode {
    static let noError: UInt32 = 0x0
    static let protocolError: UInt32 = 0x1
    static let internalError: UInt32 = 0x2
    static let flowControlError: UInt32 = 0x3
    static let frameSizeError: UInt32 = 0x6
    static let refusedStream: UInt32 = 0x7
    static let cancel: UInt32 = 0x8
    static let compressionError: UInt32 = 0x9
    static let enhanceYourCalm: UInt32 = 0xB
}
