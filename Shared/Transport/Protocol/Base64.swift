import ProtoRuntime

/// `-bin` metadata values: base64 on the wire. We send unpadded values (as gRPC recommends)
/// and accept padded and unpadded ones, several to a header separated by commas.
enum BinaryHeaderValue {
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64.encode(bytes, padded: false)
    }

    /// The values of one header, or nil when any part is not base64.
    static func decodeList(_ value: String) -> [[UInt8]]? {
        var values: [[UInt8]] = []
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            guard let decoded = Base64.decode(part.trimmingCharacters(in: " ")) else { return nil }
            values.append(decoded)
        }
        return values
    }
}
