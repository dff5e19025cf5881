import CNGHTTP2

/// What a connection does when nghttp2 reports an event. Implemented by the server and client
/// connection handlers; every call happens on the connection's event loop, from inside a
/// `HTTP2Session` method.
protocol HTTP2SessionDelegate: AnyObject {
    /// A HEADERS block starts (request, response, or trailers).
    func beginHeaders(stream: Int32)
    /// One header field. Return false to reset the stream (e.g. header list too large).
    func header(stream: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool
    /// A HEADERS block is complete.
    func headersComplete(stream: Int32, endStream: Bool)
    /// Part of a DATA frame's payload; valid only during the call.
    func dataChunk(stream: Int32, bytes: UnsafeRawBufferPointer)
    /// A DATA frame carried END_STREAM.
    func dataEndStream(stream: Int32)
    /// The stream is gone (ended normally, reset by either side, or refused). `errorCode` is the
    /// HTTP/2 error code, 0 when the stream ended cleanly.
    func streamClosed(stream: Int32, errorCode: UInt32)
    /// `debugData` is the GOAWAY's opaque data (gRPC servers put e.g. "too_many_pings" there).
    func goAwayReceived(lastStreamID: Int32, errorCode: UInt32, debugData: [UInt8])
    func pingReceived(ack: Bool)
    /// The peer's SETTINGS (not an ACK) arrived; the first one completes its connection preface.
    func settingsReceived()
    /// The peer reset `stream` (RST_STREAM received).
    func resetReceived(stream: Int32)
    /// nghttp2 wants DATA for `stream`: copy up to `buffer.count` bytes and set `flags`
    /// (EOF / NO_END_STREAM), or return `nil` to defer until `resumeData`.
    func readData(stream: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: inout UInt32) -> Int?
}

/// Events only the server acts on.
extension HTTP2SessionDelegate {
    func settingsReceived() {}
    func resetReceived(stream: Int32) {}
}
