import Foundation

/// What a load created: counts per kind and the ids a tour starts from. Printed as the last
/// line of stdout, one JSON object, for the mesh runner to parse.
public struct SeedSummary: Sendable, Hashable {
    public var customerID: String
    public var commercialCustomerID: String
    public var premiseID: String
    public var accountID: String
    public var meterPointID: String
    public var outageID: String
    public var assetID: String
    public var periodFrom: String
    public var periodTo: String
    public var counts: [String: Int]

    init(plan: DemoPlan, ids: DemoLoader.IDs) {
        let tour = plan.tour
        customerID = ids.customers[tour.customer]
        commercialCustomerID = ids.customers[tour.commercialCustomer]
        premiseID = ids.premises[tour.premise]
        accountID = ids.accounts[tour.account]
        meterPointID = ids.meterPoints[tour.meterPoint]
        outageID = ids.outages[tour.openOutage]
        assetID = ids.assets[plan.outages[tour.openOutage].faultAsset]
        periodFrom = Self.iso8601(plan.parameters.windowStart)
        periodTo = Self.iso8601(plan.parameters.windowEnd)
        counts = [
            "tariffs": ids.tariffs.count,
            "products": ids.products.count,
            "customers": ids.customers.count,
            "commercial_customers": plan.customers.filter { $0.kind == .commercial }.count,
            "premises": ids.premises.count,
            "accounts": ids.accounts.count,
            "regulated_accounts": plan.accounts.filter { $0.account.regulatoryScope == .regulated }.count,
            "non_regulated_accounts": plan.accounts.filter { $0.account.regulatoryScope == .nonRegulated }.count,
            "agreements": ids.agreements.count,
            "consents": ids.consents.count,
            "assets": ids.assets.count,
            "meter_points": ids.meterPoints.count,
            "solar_meter_points": plan.meterPoints.filter(\.profile.hasSolar).count,
            "readings": ids.readings,
            "crews": ids.crews.count,
            "outages": ids.outages.count,
            "open_outages": plan.outages.filter { $0.endSeconds == nil }.count,
            "work_orders": ids.workOrders.count,
            "bills": ids.bills.count,
            "transactions": ids.transactions.count,
        ]
    }

    /// One line of JSON (keys sorted, so equal summaries print equal lines).
    public var jsonLine: String {
        let object: [String: Any] = [
            "customer_id": customerID, "commercial_customer_id": commercialCustomerID, "premise_id": premiseID,
            "account_id": accountID, "meter_point_id": meterPointID, "outage_id": outageID, "asset_id": assetID,
            "period_from": periodFrom, "period_to": periodTo, "counts": counts,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func iso8601(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
