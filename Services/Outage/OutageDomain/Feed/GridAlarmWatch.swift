import OutageAPI
import ProtoRuntime
import RPCCore

extension OutageOperations {
    /// Alarms for samples committed after the call starts that fall outside the caller's
    /// limits; with include_clears, CLEARED when a series in alarm comes back within a limit.
    public func watchGridAlarms(
        _ request: WatchGridAlarmsRequest, send: @escaping @Sendable (WatchGridAlarmsResponse) async throws -> Void
    ) async throws {
        try AlarmRules.check(request.limits)
        let subscription = samples.subscribe()
        var endedForLag = false
        defer { if !endedForLag { _ = samples.unsubscribe(subscription.id) } }
        var sequence: Int64 = 0
        // Series in alarm per limit: "asset|quantity|phase".
        var inAlarm: [Int: Set<String>] = [:]
        for await sample in subscription.samples {
            for (index, limit) in request.limits.enumerated() {
                let value: Int64, series: String, assetID: String
                switch (sample, limit.quantity) {
                case (.grid(let grid), .gridQuantity(let quantity)?) where grid.quantity == quantity:
                    (value, assetID, series) = (grid.milliValue, grid.assetID, "\(grid.assetID)|\(quantity.rawValue)|\(grid.phase.rawValue)")
                case (.pipeline(let pipe), .pipelineQuantity(let quantity)?) where pipe.quantity == quantity:
                    (value, assetID, series) = (pipe.milliValue, pipe.assetID, "\(pipe.assetID)|\(quantity.rawValue)")
                default: continue
                }
                guard limit.assetIDs.isEmpty || limit.assetIDs.contains(assetID) else { continue }
                let kind: AlarmKind
                if let violation = AlarmRules.violation(of: limit, value: value) {
                    kind = violation
                    inAlarm[index, default: []].insert(series)
                } else if inAlarm[index]?.remove(series) != nil, request.includeClears {
                    kind = .cleared
                } else {
                    continue
                }
                sequence += 1
                var alarm = GridAlarm()
                alarm.sequence = sequence
                alarm.kind = kind
                alarm.limitIndex = Int32(index)
                alarm.detectTime = clock.timestamp
                switch sample {
                case .grid(let grid): alarm.sample = .gridSample(grid)
                case .pipeline(let pipe): alarm.sample = .pipelineSample(pipe)
                }
                try await send(.with { $0.alarm = alarm })
            }
        }
        try Task.checkCancellation()
        endedForLag = true
        if samples.unsubscribe(subscription.id) {
            throw RPCError(code: .resourceExhausted, message: "the subscriber fell more than \(SampleBroadcaster.bufferLimit) samples behind; subscribe again")
        }
    }
}
