import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension OutageOperations {
    public func createWorkOrder(_ request: CreateWorkOrderRequest) async throws -> CreateWorkOrderResponse {
        var order = try required(request.workOrder, "work_order")
        try Check.specified(order.kind, "work_order.kind")
        try Check.known(order.priority, "work_order.priority")
        try Check.required(order.instructions, "work_order.instructions")
        try Check.optionalID(order.assetID, prefix: "AST", "work_order.asset_id")
        try Check.optionalID(order.outageID, prefix: "OUT", "work_order.outage_id")
        try Check.optionalID(order.premiseID, prefix: "PRM", "work_order.premise_id")
        try Check.timestamp(order.dueTime, "work_order.due_time")
        let now = clock.timestamp
        order.workOrderID = ids.make(prefix: "WO")
        if order.priority == .unspecified { order.priority = .normal }
        order.status = .created
        order.crewID = ""
        order.closingNotes = ""
        order.statusHistory = [.with { $0.fromStatus = .unspecified; $0.toStatus = .created; $0.changeTime = now }]
        order.createTime = now
        order.updateTime = now
        let created = order
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateWorkOrder") { tx in
            if !created.outageID.isEmpty { _ = try Tables.outages.require(created.outageID, tx, referencedAs: "work_order.outage_id") }
            try Tables.workOrders.save(created.workOrderID, created, tx)
            return .with { $0.workOrder = created }
        }
    }

    public func getWorkOrder(_ request: GetWorkOrderRequest) async throws -> GetWorkOrderResponse {
        try Check.id(request.workOrderID, prefix: "WO", "work_order_id")
        let order = try await store.read { db in try Tables.workOrders.require(request.workOrderID, db) }
        return .with { $0.workOrder = order }
    }

    public func listWorkOrders(_ request: ListWorkOrdersRequest) async throws -> ListWorkOrdersResponse {
        var conditions = Conditions()
        if request.openOnly { conditions.add("status NOT IN (5, 6)") }
        try Check.known(request.status, "status")
        if request.status != .unspecified { conditions.add("status = ?", .integer(Int64(request.status.rawValue))) }
        try Check.batch(request.assetIDs, prefix: "AST", "asset_ids")
        if !request.assetIDs.isEmpty {
            conditions.add("asset_id IN (\(request.assetIDs.map { _ in "?" }.joined(separator: ", ")))", values: request.assetIDs.map { .text($0) })
        }
        for (value, column, prefix) in [(request.outageID, "outage_id", "OUT"), (request.crewID, "crew_id", "CRW"), (request.premiseID, "premise_id", "PRM")]
        where !value.isEmpty {
            try Check.id(value, prefix: prefix, column)
            conditions.add("\(column) = ?", .text(value))
        }
        try TextFilter(fields: [
            "kind": .enumeration("kind", WorkOrderKind.self, prefix: "WORK_ORDER_KIND_"),
            "priority": .enumeration("priority", WorkOrderPriority.self, prefix: "WORK_ORDER_PRIORITY_"),
            "status": .enumeration("status", WorkOrderStatus.self, prefix: "WORK_ORDER_STATUS_"),
        ]).apply(request.filter, to: &conditions)
        let order: KeysetOrder
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "create_time": order = KeysetOrder(column: "create_ms", isInteger: true)
        case "priority desc": order = KeysetOrder(column: "priority", isInteger: true, descending: true)
        case "due_time": order = KeysetOrder(column: "due_ms", isInteger: true)
        default: throw Fail.invalid("order_by '\(request.orderBy)' is not one of: create_time, priority desc, due_time")
        }
        var fingerprint = request
        fingerprint.pageSize = 0
        fingerprint.pageToken = ""
        let page = try PageRequest(method: "ListWorkOrders", fields: ["request": Self.fingerprint(fingerprint)],
                                   pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: "SELECT body, \(order.column ?? "id"), id FROM work_orders", where: conditions, order: order, codec: pages) {
                try Tables.workOrders.decode($0)
            }
        }
        return .with {
            $0.workOrders = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }

    public func assignWorkOrder(_ request: AssignWorkOrderRequest) async throws -> AssignWorkOrderResponse {
        try Check.id(request.workOrderID, prefix: "WO", "work_order_id")
        try Check.id(request.crewID, prefix: "CRW", "crew_id")
        let now = clock.timestamp
        let dispatchID = ids.make(prefix: "CDP")
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "AssignWorkOrder") { tx in
            var order = try Tables.workOrders.require(request.workOrderID, tx)
            var crew = try Tables.crews.require(request.crewID, tx, referencedAs: "crew_id")
            try WorkOrderStateMachine.check(from: order.status, to: .assigned, workOrderID: order.workOrderID)
            guard crew.status != .offDuty else { throw Fail.precondition("crew '\(crew.crewID)' is OFF_DUTY and cannot be assigned") }
            try Self.endActiveDispatch(of: order, outcome: .reassigned, now: now, tx)
            Self.move(&order, to: .assigned, reason: "assigned to crew \(crew.crewID)", now: now)
            order.crewID = crew.crewID
            try Tables.workOrders.save(order.workOrderID, order, tx)
            crew.status = .assigned
            crew.currentWorkOrderID = order.workOrderID
            crew.updateTime = now
            try Tables.crews.save(crew.crewID, crew, tx)
            let dispatch = CrewDispatch.with {
                $0.dispatchID = dispatchID
                $0.crewID = crew.crewID
                $0.workOrderID = order.workOrderID
                $0.assignTime = now
            }
            try Tables.dispatches.save(dispatchID, dispatch, tx)
            return .with {
                $0.workOrder = order
                $0.dispatch = dispatch
            }
        }
    }

    /// Moves the work order along its state machine; the crew and the dispatch follow.
    public func transitionWorkOrder(_ request: TransitionWorkOrderRequest) async throws -> TransitionWorkOrderResponse {
        try Check.id(request.workOrderID, prefix: "WO", "work_order_id")
        try Check.specified(request.toStatus, "to_status")
        guard request.toStatus != .assigned, request.toStatus != .created else {
            throw Fail.invalid("to_status \(request.toStatus.protoName ?? "") cannot be requested here: use AssignWorkOrder to assign")
        }
        try Check.text(request.reason, "reason")
        let now = clock.timestamp
        let order = try await store.write { tx -> WorkOrder in
            var order = try Tables.workOrders.require(request.workOrderID, tx)
            try WorkOrderStateMachine.check(from: order.status, to: request.toStatus, workOrderID: order.workOrderID)
            Self.move(&order, to: request.toStatus, reason: request.reason, now: now)
            if request.toStatus == .completed || request.toStatus == .cancelled { order.closingNotes = request.reason }
            try Tables.workOrders.save(order.workOrderID, order, tx)
            try Self.followTransition(order, now: now, tx)
            return order
        }
        return .with { $0.workOrder = order }
    }

    static func move(_ order: inout WorkOrder, to status: WorkOrderStatus, reason: String, now: Timestamp) {
        order.statusHistory.append(.with {
            $0.fromStatus = order.status
            $0.toStatus = status
            $0.changeTime = now
            $0.reason = reason
        })
        order.status = status
        order.updateTime = now
    }

    /// The crew's status and the active dispatch's times follow the work order.
    static func followTransition(_ order: WorkOrder, now: Timestamp, _ tx: any StoreWriting) throws {
        guard let row = try tx.queryOne("SELECT body FROM crew_dispatches WHERE work_order_id = ? AND active = 1", order.workOrderID) else { return }
        var dispatch = try Tables.dispatches.decode(row)
        // A crew already sent on to another work order keeps following that one.
        var crew = try Tables.crews.fetch(dispatch.crewID, tx).flatMap { $0.currentWorkOrderID == order.workOrderID ? $0 : nil }
        switch order.status {
        case .enRoute:
            dispatch.departTime = now
            crew?.status = .enRoute
        case .inProgress:
            dispatch.arriveTime = now
            crew?.status = .onSite
        case .completed, .cancelled:
            dispatch.finishTime = now
            dispatch.outcome = order.status == .completed ? .completed : .cancelled
            crew?.status = .available
            crew?.currentWorkOrderID = ""
        default: break
        }
        try Tables.dispatches.save(dispatch.dispatchID, dispatch, tx)
        if var crew {
            crew.updateTime = now
            try Tables.crews.save(crew.crewID, crew, tx)
        }
    }

    static func endActiveDispatch(of order: WorkOrder, outcome: DispatchOutcome, now: Timestamp, _ tx: any StoreWriting) throws {
        guard let row = try tx.queryOne("SELECT body FROM crew_dispatches WHERE work_order_id = ? AND active = 1", order.workOrderID) else { return }
        var dispatch = try Tables.dispatches.decode(row)
        dispatch.finishTime = now
        dispatch.outcome = outcome
        try Tables.dispatches.save(dispatch.dispatchID, dispatch, tx)
        if var previous = try Tables.crews.fetch(dispatch.crewID, tx), previous.currentWorkOrderID == order.workOrderID {
            previous.status = .available
            previous.currentWorkOrderID = ""
            previous.updateTime = now
            try Tables.crews.save(previous.crewID, previous, tx)
        }
    }
}
