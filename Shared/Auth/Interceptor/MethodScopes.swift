import RPCCore

/// Which token scope each RPC needs.
///
/// Derived, unless overridden, from the method's proto package and verb:
///
/// | proto package                      | domain       |
/// |------------------------------------|--------------|
/// | `quantum.<domain>.v1`              | `<domain>`   |
/// | anything else, e.g. `grpc.testing` | the package without a trailing `.vN` |
///
/// | method name starts with                                                  | scope           |
/// |--------------------------------------------------------------------------|-----------------|
/// | Get, List, BatchGet, Count, Watch, Stream, Calculate, Compute, Summarize, Compare, Search, Check | `<domain>.read` |
/// | anything else (Create, Update, Delete, Post, Record, Ingest, …)          | `<domain>.write` |
///
/// So `quantum.customer.v1.CustomerService/GetCustomer` needs `customer.read` and
/// `quantum.metering.v1.MeteringService/IngestReadings` needs `metering.write`.
///
/// Default overrides (``defaultOverrides``): money movement has its own scope —
/// `quantum.finance.v1.FinanceService/PostTransaction` needs `finance.post`.
public struct MethodScopes: Sendable {
    /// Verbs of methods that only read.
    public static let readVerbs = [
        "Get", "List", "BatchGet", "Count", "Watch", "Stream", "Calculate", "Compute", "Summarize", "Compare", "Search", "Check",
    ]

    public static let defaultOverrides: [String: String] = [
        "/quantum.finance.v1.FinanceService/PostTransaction": "finance.post",
    ]

    /// Explicit scopes by method path (`/package.Service/Method`); they win over the derivation.
    public let overrides: [String: String]

    public init(overrides: [String: String] = MethodScopes.defaultOverrides) {
        self.overrides = overrides
    }

    public func scope(for method: MethodDescriptor) -> String {
        if let scope = overrides[method.path] { return scope }
        return Self.domain(ofService: method.service) + (Self.isRead(method.method) ? ".read" : ".write")
    }

    static func isRead(_ method: String) -> Bool {
        readVerbs.contains { verb in
            // The verb must be a whole word: "Getaway" is not a Get.
            guard method.hasPrefix(verb) else { return false }
            let rest = method.dropFirst(verb.count)
            return rest.first.map { $0.isUppercase } ?? true
        }
    }

    static func domain(ofService service: String) -> String {
        var parts = service.split(separator: ".").dropLast()  // drop the service name
        if let last = parts.last, last.first == "v", last.dropFirst().allSatisfy(\.isNumber), last.count > 1 { parts = parts.dropLast() }
        if parts.first == "quantum", parts.count > 1 { parts = parts.dropFirst() }
        return parts.joined(separator: ".")
    }
}
