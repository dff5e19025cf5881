import GatewayAPI
import NIOHTTP1
import ProtoRuntime

/// The JSON front's routes: HTTP method and path → the GatewayService method and the request
/// message, built from the path's ids, the query (proto3 JSON field names, dotted for nested
/// fields: `period.startTime=…`) and, for POST, a JSON body.
///
///     GET  /v1/customers/{customer_id}/overview   GetCustomerOverview (?consumptionWindow=2592000s&bucketSize=DAY…)
///     GET  /v1/premises/{premise_id}/overview     GetPremiseOverview
///     GET  /v1/outages/{outage_id}/impact         GetOutageImpact (?maxItems=…)
///     GET  /v1/assets/{asset_id}/impact           GetOutageImpact
///     POST /v1/accounts/{account_id}:bill         BillAccount (body: {"billingPeriod": …, "requestId": …})
///     GET  /v1/reliability                        GetReliabilityReport (?period.startTime=…&period.endTime=…)
enum JSONRoutes {
    enum Operation: Sendable, Equatable {
        case customerOverview, premiseOverview, outageImpact, billAccount, reliabilityReport
    }

    struct Match: Sendable, Equatable {
        let operation: Operation
        let method: HTTPMethod
        /// Request fields taken from the path (proto3 JSON names).
        let pathFields: [String: String]
    }

    static let prefix = "/v1/"

    /// Each route's path after `/v1/`, `{}` standing for the id (a whole segment, or the part
    /// before `:verb`), with the request field the id fills.
    private static let table: [(segments: [String], operation: Operation, method: HTTPMethod, idField: String?)] = [
        (["customers", "{}", "overview"], .customerOverview, .GET, "customerId"),
        (["premises", "{}", "overview"], .premiseOverview, .GET, "premiseId"),
        (["outages", "{}", "impact"], .outageImpact, .GET, "outageId"),
        (["assets", "{}", "impact"], .outageImpact, .GET, "assetId"),
        (["accounts", "{}:bill"], .billAccount, .POST, "accountId"),
        (["reliability"], .reliabilityReport, .GET, nil),
    ]

    /// The route for `path`, whatever the method (the caller checks it: 405 names the right
    /// one); nil: no such route.
    static func match(path: String) -> Match? {
        guard path.hasPrefix(prefix) else { return nil }
        let segments = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for route in table where route.segments.count == segments.count {
            var id: String?
            let fits = zip(route.segments, segments).allSatisfy { pattern, segment in
                guard pattern.hasPrefix("{}") else { return pattern == segment }
                let verb = pattern.dropFirst(2)  // "" or ":bill"
                guard segment.hasSuffix(verb), segment.count > verb.count else { return false }
                id = String(segment.dropLast(verb.count))
                return true
            }
            guard fits else { continue }
            let fields = zip([route.idField].compactMap { $0 }, [id].compactMap { $0 })
            return Match(operation: route.operation, method: route.method, pathFields: Dictionary(uniqueKeysWithValues: fields))
        }
        return nil
    }

    /// The request message: the body's fields, then the query's, then the path's (the path
    /// wins: `/v1/customers/A/overview?customerId=B` asks for A). Throws `ProtoJSONError`
    /// naming the field for anything the message does not accept.
    static func request<Request: ProtoJSONMessage>(
        _ type: Request.Type, match: Match, query: [(name: String, value: String)], body: [UInt8]
    ) throws -> Request {
        var object = RequestObject()
        if !body.isEmpty {
            guard case .object(let members) = try JSONValue(parsing: String(decoding: body, as: UTF8.self)) else {
                throw ProtoJSONError.syntax("the request body must be a JSON object")
            }
            for member in members { object.set([member.key], member.value) }
        }
        for (name, value) in query {
            object.set(name.split(separator: ".", omittingEmptySubsequences: false).map(String.init), .string(value))
        }
        for (name, value) in match.pathFields.sorted(by: { $0.key < $1.key }) { object.set([name], .string(value)) }
        return try Request(protoJSONValue: object.value)
    }
}

/// The request as a JSON object, built from dotted paths (`period.startTime`), later sets replacing earlier ones.
struct RequestObject {
    private var members: [(key: String, value: JSONValue)] = []

    var value: JSONValue { .object(members) }

    mutating func set(_ path: [String], _ value: JSONValue) {
        guard let key = path.first else { return }
        let index = members.firstIndex { $0.key == key }
        if path.count == 1 {
            if let index { members[index].value = value } else { members.append((key, value)) }
            return
        }
        var child = RequestObject()
        if let index, case .object(let existing) = members[index].value { child.members = existing }
        child.set(Array(path.dropFirst()), value)
        if let index { members[index].value = child.value } else { members.append((key, child.value)) }
    }
}
