import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension OutageOperations {
    static func checkCrew(_ crew: Crew) throws(RPCError) {
        try Check.required(crew.displayName, "crew.display_name")
        guard crew.memberCount >= 1 else { throw Fail.invalid("crew.member_count must be at least 1") }
        try Check.known(crew.status, "crew.status")
        for (index, skill) in crew.skills.enumerated() { try Check.specified(skill, "crew.skills[\(index)]") }
        try Check.point(crew.lastPosition, "crew.last_position")
    }

    public func registerCrew(_ request: RegisterCrewRequest) async throws -> RegisterCrewResponse {
        var crew = try required(request.crew, "crew")
        try Self.checkCrew(crew)
        let now = clock.timestamp
        crew.crewID = ids.make(prefix: "CRW")
        if crew.status == .unspecified { crew.status = .available }
        crew.currentWorkOrderID = ""
        crew.createTime = now
        crew.updateTime = now
        let registered = crew
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "RegisterCrew") { tx in
            try Tables.crews.save(registered.crewID, registered, tx)
            return .with { $0.crew = registered }
        }
    }

    public func getCrew(_ request: GetCrewRequest) async throws -> GetCrewResponse {
        try Check.id(request.crewID, prefix: "CRW", "crew_id")
        let crew = try await store.read { db in try Tables.crews.require(request.crewID, db) }
        return .with { $0.crew = crew }
    }

    public func listCrews(_ request: ListCrewsRequest) async throws -> ListCrewsResponse {
        var conditions = Conditions()
        try Check.known(request.status, "status")
        try Check.known(request.skill, "skill")
        if request.status != .unspecified { conditions.add("status = ?", .integer(Int64(request.status.rawValue))) }
        if request.skill != .unspecified { conditions.add("skills_mask & ? != 0", .integer(Tables.skillBit(request.skill))) }
        if let bounds = request.bounds {
            guard let southWest = bounds.southWest, let northEast = bounds.northEast else {
                throw Fail.invalid("bounds needs both south_west and north_east")
            }
            try Check.point(southWest, "bounds.south_west")
            try Check.point(northEast, "bounds.north_east")
            guard southWest.latitudeE7 <= northEast.latitudeE7 else {
                throw Fail.invalid("bounds.south_west.latitude_e7 is north of bounds.north_east.latitude_e7")
            }
            conditions.add("latitude_e7 BETWEEN ? AND ?", .integer(Int64(southWest.latitudeE7)), .integer(Int64(northEast.latitudeE7)))
            conditions.add("longitude_e7 BETWEEN ? AND ?", .integer(Int64(southWest.longitudeE7)), .integer(Int64(northEast.longitudeE7)))
        }
        var fingerprint = request
        fingerprint.pageSize = 0
        fingerprint.pageToken = ""
        let page = try PageRequest(method: "ListCrews", fields: ["request": Self.fingerprint(fingerprint)],
                                   pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: "SELECT body, id FROM crews", where: conditions, order: .byID, codec: pages) { try Tables.crews.decode($0) }
        }
        return .with {
            $0.crews = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }

    static let crewPaths: [String: @Sendable (inout Crew, Crew) -> Void] = [
        "display_name": { $0.displayName = $1.displayName },
        "member_count": { $0.memberCount = $1.memberCount },
        "skills": { $0.skills = $1.skills },
        "status": { $0.status = $1.status },
    ]

    public func updateCrew(_ request: UpdateCrewRequest) async throws -> UpdateCrewResponse {
        let patch = try required(request.crew, "crew")
        try Check.id(patch.crewID, prefix: "CRW", "crew.crew_id")
        guard let mask = request.updateMask, !mask.paths.isEmpty else { throw Fail.invalid("update_mask is required, e.g. status") }
        for path in mask.paths where Self.crewPaths[path] == nil {
            throw Fail.invalid("update_mask path '\(path)' is not updatable; updatable: display_name, member_count, skills, status")
        }
        let now = clock.timestamp
        let crew = try await store.write { tx -> Crew in
            var crew = try Tables.crews.require(patch.crewID, tx)
            for path in mask.paths { Self.crewPaths[path]?(&crew, patch) }
            try Self.checkCrew(crew)
            if crew.status == .offDuty && !crew.currentWorkOrderID.isEmpty {
                throw Fail.precondition("crew '\(crew.crewID)' is assigned to work order '\(crew.currentWorkOrderID)' and cannot go OFF_DUTY")
            }
            crew.updateTime = now
            try Tables.crews.save(crew.crewID, crew, tx)
            return crew
        }
        return .with { $0.crew = crew }
    }

    public func reportCrewPosition(_ request: ReportCrewPositionRequest) async throws -> ReportCrewPositionResponse {
        try Check.id(request.crewID, prefix: "CRW", "crew_id")
        let position = try required(request.position, "position")
        try Check.point(position, "position")
        try Check.timestamp(request.positionTime, "position_time")
        let now = clock.timestamp
        let time = request.positionTime ?? now
        let crew = try await store.write { tx -> Crew in
            var crew = try Tables.crews.require(request.crewID, tx)
            // A late report of an older position must not overwrite a newer one.
            if let stored = crew.positionTime, time < stored { return crew }
            crew.lastPosition = position
            crew.positionTime = time
            crew.updateTime = now
            try Tables.crews.save(crew.crewID, crew, tx)
            return crew
        }
        return .with { $0.crew = crew }
    }

    public func listCrewDispatches(_ request: ListCrewDispatchesRequest) async throws -> ListCrewDispatchesResponse {
        var conditions = Conditions()
        try Check.optionalID(request.crewID, prefix: "CRW", "crew_id")
        try Check.optionalID(request.workOrderID, prefix: "WO", "work_order_id")
        if !request.crewID.isEmpty { conditions.add("crew_id = ?", .text(request.crewID)) }
        if !request.workOrderID.isEmpty { conditions.add("work_order_id = ?", .text(request.workOrderID)) }
        if request.activeOnly { conditions.add("active = 1") }
        let order = KeysetOrder(column: "assign_ms", isInteger: true, descending: true)
        let page = try PageRequest(
            method: "ListCrewDispatches",
            fields: ["crew_id": request.crewID, "work_order_id": request.workOrderID, "active_only": String(request.activeOnly)],
            pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: "SELECT body, assign_ms, id FROM crew_dispatches", where: conditions, order: order, codec: pages) {
                try Tables.dispatches.decode($0)
            }
        }
        return .with {
            $0.dispatches = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }

    public func getReliabilityIndices(_ request: GetReliabilityIndicesRequest) async throws -> GetReliabilityIndicesResponse {
        let period = try required(request.period, "period")
        guard let start = period.startTime, let end = period.endTime else { throw Fail.invalid("period needs both start_time and end_time") }
        try Self.checkRange(period, "period")
        guard request.customersServed > 0 else { throw Fail.invalid("customers_served must be greater than 0") }
        try Check.known(request.commodity, "commodity")
        let commodity: Commodity = request.commodity == .unspecified ? .electric : request.commodity
        let threshold = request.momentaryThreshold ?? ProtoDuration(seconds: 300)
        guard threshold.seconds >= 0, threshold.nanos >= 0 else { throw Fail.invalid("momentary_threshold must not be negative") }
        let thresholdMilliseconds = threshold.seconds * 1000 + Int64(threshold.nanos / 1_000_000)
        let rows = try await store.read { db in
            try db.query(
                "SELECT body FROM outages WHERE commodity = ? AND start_ms >= ? AND start_ms < ?",
                Int64(commodity.rawValue), TimeColumns.milliseconds(start), TimeColumns.milliseconds(end)
            ).map(Tables.outages.decode)
        }
        var interruptions: [ReliabilityCalculator.Interruption] = []
        var open: Int64 = 0
        for outage in rows {
            guard outage.status == .restored, let outageStart = outage.startTime, let outageEnd = outage.endTime else {
                open += 1
                continue
            }
            interruptions.append(.init(
                customers: outage.customersAffected,
                durationMilliseconds: TimeColumns.milliseconds(outageEnd) - TimeColumns.milliseconds(outageStart)))
        }
        var indices = ReliabilityCalculator.indices(
            interruptions, customersServed: request.customersServed, momentaryThresholdMilliseconds: thresholdMilliseconds)
        indices.period = period
        indices.commodity = commodity
        indices.momentaryThreshold = threshold
        indices.openOutageCount = open
        return .with { $0.indices = indices }
    }
}
