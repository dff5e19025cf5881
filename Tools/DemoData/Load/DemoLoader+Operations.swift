import OutageAPI
import ProtoRuntime

/// Crews, outages and work orders. Outages and work orders move through their state machines;
/// on a re-run the create replays the original answer, so the current state is read back and
/// only the missing steps are taken.
extension DemoLoader {
    func registerCrew(_ index: Int) async throws -> String {
        try await clients.outage.registerCrew(
            .with { $0.crew = plan.crews[index]; $0.requestID = requestID("crew", index) }, options: clients.options()
        ).crew?.crewID ?? ""
    }

    func createOutage(_ index: Int, _ ids: IDs) async throws -> String {
        let planned = plan.outages[index]
        var outage = planned.outage
        outage.faultAssetID = ids.assets[planned.faultAsset]
        outage.affectedPremiseIDs = planned.affectedPremises.map { ids.premises[$0] }
        let reported = try await clients.outage.reportOutage(
            .with { $0.outage = outage; $0.requestID = requestID("outage", index) }, options: clients.options())
        let id = reported.outage?.outageID ?? ""
        var status = try await clients.outage.getOutage(.with { $0.outageID = id }, options: clients.options()).outage?.status ?? .reported
        if planned.confirmed && status == .reported {
            status = try await clients.outage.confirmOutage(
                .with { $0.outageID = id; $0.cause = outage.cause; $0.faultAssetID = outage.faultAssetID }, options: clients.options()
            ).outage?.status ?? status
        }
        if let end = planned.endSeconds, status != .restored {
            _ = try await clients.outage.restoreOutage(.with { $0.outageID = id; $0.endTime = Timestamp(seconds: end) }, options: clients.options())
        }
        return id
    }

    func createWorkOrder(_ index: Int, _ ids: IDs) async throws -> String {
        let planned = plan.workOrders[index]
        var order = planned.workOrder
        order.assetID = ids.assets[planned.asset]
        if let outage = planned.outage { order.outageID = ids.outages[outage] }
        let created = try await clients.outage.createWorkOrder(
            .with { $0.workOrder = order; $0.requestID = requestID("work-order", index) }, options: clients.options())
        let id = created.workOrder?.workOrderID ?? ""
        var status = try await clients.outage.getWorkOrder(.with { $0.workOrderID = id }, options: clients.options()).workOrder?.status ?? .created
        if let crew = planned.crew, status == .created {
            status = try await clients.outage.assignWorkOrder(
                .with { $0.workOrderID = id; $0.crewID = ids.crews[crew]; $0.requestID = requestID("assign", index) }, options: clients.options()
            ).workOrder?.status ?? status
        }
        for next in planned.transitions where Self.rank(next) > Self.rank(status) {
            status = try await clients.outage.transitionWorkOrder(
                .with { $0.workOrderID = id; $0.toStatus = next; $0.reason = next == .completed ? "Service restored" : "" }, options: clients.options()
            ).workOrder?.status ?? next
        }
        return id
    }

    /// Position of a status along the happy path CREATED → ASSIGNED → EN_ROUTE → IN_PROGRESS → COMPLETED.
    static func rank(_ status: WorkOrderStatus) -> Int {
        switch status {
        case .created: 1
        case .assigned: 2
        case .enRoute: 3
        case .inProgress: 4
        case .completed, .cancelled: 5
        default: 0
        }
    }
}
