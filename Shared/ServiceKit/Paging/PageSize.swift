import RPCCore

/// AIP-158 page sizes: 0 means the service's default, larger than the maximum is clamped,
/// negative is INVALID_ARGUMENT.
public struct PageSizePolicy: Sendable, Hashable {
    public let defaultSize: Int
    public let maximumSize: Int

    public init(defaultSize: Int = 50, maximumSize: Int = 1000) {
        precondition(defaultSize >= 1 && defaultSize <= maximumSize, "default page size must be in 1...maximum")
        self.defaultSize = defaultSize
        self.maximumSize = maximumSize
    }

    /// How many rows to return for the request's `page_size`.
    public func resolve(_ requested: Int32) throws(RPCError) -> Int {
        guard requested >= 0 else {
            throw RPCError(code: .invalidArgument, message: "page_size must not be negative, got \(requested)")
        }
        return requested == 0 ? defaultSize : min(Int(requested), maximumSize)
    }
}
