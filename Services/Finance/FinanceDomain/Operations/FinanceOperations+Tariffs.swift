import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension FinanceOperations {
    static let tariffFilter = ListFilter(fields: [
        "jurisdiction": .equals(column: "jurisdiction"),
        "display_name": .contains(column: "display_name"),
    ])

    public func createTariff(_ request: CreateTariffRequest) async throws -> CreateTariffResponse {
        let tariff = try TariffRules.forCreate(try required(request.tariff, "tariff"), id: ids.make(prefix: "TRF"), now: clock.timestamp())
        return try await idempotentWrite(request, requestID: \.requestID, method: "CreateTariff") { tx in
            try FinanceTables.tariffs.insert(tariff.tariffID, tariff, tx)
            return .with { $0.tariff = tariff }
        }
    }

    public func getTariff(_ request: GetTariffRequest) async throws -> GetTariffResponse {
        try FieldRules.id(request.tariffID, prefix: "TRF", "tariff_id")
        let tariff = try await store.read { db in try FinanceTables.tariffs.get(request.tariffID, db) }
        return .with { $0.tariff = tariff }
    }

    public func listTariffs(_ request: ListTariffsRequest) async throws -> ListTariffsResponse {
        var conditions = try Self.tariffFilter.conditions(request.filter)
        if let date = request.effectiveOn {
            let day = try FieldRules.date(date, "effective_on").ordinal
            conditions.append(Condition("start_date <= ? AND (end_date IS NULL OR end_date >= ?)", [.integer(day), .integer(day)]))
        }
        try FieldRules.known(request.commodity, "commodity")
        if request.commodity != .unspecified {
            conditions.append(Condition("commodity = ?", [.integer(Int64(request.commodity.rawValue))]))
        }
        let page = try await list(
            FinanceTables.tariffs, method: "ListTariffs",
            fields: [
                "effective_on": request.effectiveOn.map { String($0.ordinal) } ?? "",
                "commodity": String(request.commodity.rawValue), "filter": request.filter,
            ],
            where: conditions, pageSize: request.pageSize, pageToken: request.pageToken)
        return .with {
            $0.tariffs = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }
}
