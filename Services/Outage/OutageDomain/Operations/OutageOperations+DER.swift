import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension OutageOperations {
    public func issueDerDispatch(_ request: IssueDerDispatchRequest) async throws -> IssueDerDispatchResponse {
        var dispatch = try required(request.dispatch, "dispatch")
        try Check.id(dispatch.deviceID, prefix: "AST", "dispatch.device_id")
        try Check.id(dispatch.programID, prefix: "PGM", "dispatch.program_id")
        let power = try required(dispatch.targetPower, "dispatch.target_power")
        try Self.checkPowerUnit(power, "dispatch.target_power.unit")
        let window = try required(dispatch.window, "dispatch.window")
        guard let start = window.startTime, let end = window.endTime else { throw Fail.invalid("dispatch.window needs both start_time and end_time") }
        try Self.checkRange(window, "dispatch.window")
        guard start < end else { throw Fail.invalid("dispatch.window is empty: end_time must be after start_time") }
        let now = clock.timestamp
        dispatch.dispatchID = ids.make(prefix: "DRD")
        dispatch.status = .issued
        dispatch.replies = []
        dispatch.issueTime = now
        dispatch.updateTime = now
        let issued = dispatch
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "IssueDerDispatch") { tx in
            try Tables.derDispatches.save(issued.dispatchID, issued, tx)
            return .with { $0.dispatch = issued }
        }
    }

    static func checkPowerUnit(_ power: QuantumTypes.Measurement, _ field: String) throws(RPCError) {
        guard [.watt, .kilowatt, .megawatt].contains(power.unit) else { throw Fail.invalid("\(field) must be WATT, KILOWATT or MEGAWATT") }
    }

    public func getDerDispatch(_ request: GetDerDispatchRequest) async throws -> GetDerDispatchResponse {
        try Check.id(request.dispatchID, prefix: "DRD", "dispatch_id")
        let dispatch = try await store.read { db in try Tables.derDispatches.require(request.dispatchID, db) }
        return .with { $0.dispatch = dispatch }
    }

    /// ISSUED → ACKNOWLEDGED → COMPLETED or FAILED; ISSUED may go straight to either end.
    public static func isLegalReply(from: DerDispatchStatus, to: DerDispatchStatus) -> Bool {
        switch (from, to) {
        case (.issued, .acknowledged), (.issued, .completed), (.issued, .failed), (.acknowledged, .completed), (.acknowledged, .failed): true
        default: false
        }
    }

    public func recordDerDispatchReply(_ request: RecordDerDispatchReplyRequest) async throws -> RecordDerDispatchReplyResponse {
        try Check.id(request.dispatchID, prefix: "DRD", "dispatch_id")
        var reply = try required(request.reply, "reply")
        try Check.specified(reply.status, "reply.status")
        try Check.timestamp(reply.replyTime, "reply.reply_time")
        try Check.text(reply.message, "reply.message")
        if let achieved = reply.achievedPower { try Self.checkPowerUnit(achieved, "reply.achieved_power.unit") }
        let now = clock.timestamp
        if reply.replyTime == nil { reply.replyTime = now }
        let accepted = reply
        let dispatch = try await store.write { tx -> DerDispatch in
            var dispatch = try Tables.derDispatches.require(request.dispatchID, tx)
            guard Self.isLegalReply(from: dispatch.status, to: accepted.status) else {
                throw Fail.precondition(
                    "DER dispatch '\(dispatch.dispatchID)' cannot go from \(dispatch.status.protoName ?? "") to \(accepted.status.protoName ?? "")")
            }
            dispatch.status = accepted.status
            dispatch.replies.append(accepted)
            dispatch.updateTime = now
            try Tables.derDispatches.save(dispatch.dispatchID, dispatch, tx)
            return dispatch
        }
        return .with { $0.dispatch = dispatch }
    }

    public func listDerDispatches(_ request: ListDerDispatchesRequest) async throws -> ListDerDispatchesResponse {
        var conditions = Conditions()
        try Check.optionalID(request.programID, prefix: "PGM", "program_id")
        try Check.optionalID(request.deviceID, prefix: "AST", "device_id")
        try Check.known(request.status, "status")
        if !request.programID.isEmpty { conditions.add("program_id = ?", .text(request.programID)) }
        if !request.deviceID.isEmpty { conditions.add("device_id = ?", .text(request.deviceID)) }
        if request.status != .unspecified { conditions.add("status = ?", .integer(Int64(request.status.rawValue))) }
        if let window = request.window {
            try Self.checkRange(window, "window")
            if let end = window.endTime { conditions.add("window_start_ms < ?", .integer(TimeColumns.milliseconds(end))) }
            if let start = window.startTime { conditions.add("window_end_ms > ?", .integer(TimeColumns.milliseconds(start))) }
        }
        var fingerprint = request
        fingerprint.pageSize = 0
        fingerprint.pageToken = ""
        let order = KeysetOrder(column: "window_start_ms", isInteger: true)
        let page = try PageRequest(method: "ListDerDispatches", fields: ["request": Self.fingerprint(fingerprint)],
                                   pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: "SELECT body, window_start_ms, id FROM der_dispatches", where: conditions, order: order, codec: pages) {
                try Tables.derDispatches.decode($0)
            }
        }
        return .with {
            $0.dispatches = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }
}
