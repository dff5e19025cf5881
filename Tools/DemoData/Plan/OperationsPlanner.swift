import OutageAPI
import ProtoRuntime
import QuantumTypes

/// Field operations: crews, historical (restored) outages on transformers and feeders with
/// their completed restoration work orders, one open outage on the tour premise's transformer
/// with a crew en route, and a few open maintenance work orders.
struct OperationsPlanner {
    let backbone: GridPlanner.Backbone

    func plan(_ plan: inout DemoPlan) {
        var random = SeededRandom(seed: plan.parameters.seed, stream: "operations")
        let customers = plan.parameters.customers
        addCrews(count: 4 + customers / 2_000, &random, &plan)
        let premisesByTransformer = Dictionary(grouping: plan.premises.indices, by: { plan.premises[$0].transformer })
        let window = (start: plan.parameters.windowStart, end: plan.parameters.windowEnd)

        for _ in 0..<(3 + customers / 500) {
            let transformer = random.pick(backbone.transformers)
            let minutes = random.chance(0.25) ? Int64(random.int(1...4)) : Int64(random.int(20...360))
            let start = window.start + Int64(random.int(0...Int((window.end - window.start) / 60 - 400))) * 60
            let cause: OutageCause = random.pick([.weather, .vegetation, .equipmentFailure, .animal, .vehicle])
            addOutage(on: transformer, premises: premisesByTransformer[transformer] ?? [], cause: cause, start: start,
                      end: start + minutes * 60, &random, &plan)
        }
        let tourTransformer = plan.premises[plan.tour.premise].transformer
        let openStart = window.end - 45 * 60
        plan.tour.openOutage = addOutage(on: tourTransformer, premises: premisesByTransformer[tourTransformer] ?? [], cause: .equipmentFailure,
                                         start: openStart, end: nil, &random, &plan)
        for index in 0..<(2 + customers / 1_000) {
            let transformer = backbone.transformers[(index * 7) % backbone.transformers.count]
            plan.workOrders.append(PlannedWorkOrder(
                workOrder: .with {
                    $0.kind = .maintenance
                    $0.priority = .low
                    $0.instructions = "Annual inspection: oil level, bushings, thermal scan"
                    $0.dueTime = Timestamp(seconds: window.end + Int64(random.int(7...60)) * 86_400)
                },
                asset: transformer, outage: nil, crew: nil, transitions: []))
        }
    }

    private func addCrews(count: Int, _ random: inout SeededRandom, _ plan: inout DemoPlan) {
        let kinds: [(String, [CrewSkill])] = [
            ("Line Crew", [.overheadLine, .undergroundCable]), ("Substation Crew", [.substation]),
            ("Metering Crew", [.metering]), ("Vegetation Crew", [.vegetation, .overheadLine]),
        ]
        for index in 0..<count {
            let (name, skills) = kinds[index % kinds.count]
            plan.crews.append(.with {
                $0.displayName = "\(name) \(index / kinds.count + 1)"
                $0.memberCount = Int32(random.int(2...5))
                $0.skills = skills
                $0.lastPosition = CityModel.offset(CityModel.center, north: Int32(random.int(-50_000...50_000)), east: Int32(random.int(-50_000...50_000)))
            })
        }
    }

    /// An outage (restored at `end`, or open when nil) and its restoration work order.
    @discardableResult
    private func addOutage(
        on asset: Int, premises: [Int], cause: OutageCause, start: Int64, end: Int64?, _ random: inout SeededRandom, _ plan: inout DemoPlan
    ) -> Int {
        let customers = Set(premises.map { plan.premises[$0].customer }).count
        plan.outages.append(PlannedOutage(
            outage: .with {
                $0.commodity = .electric
                $0.cause = cause
                $0.causeDetail = cause == .equipmentFailure ? "Transformer fuse blown" : "Reported by smart meters last-gasp"
                $0.customersAffected = Int64(customers)
                $0.startTime = Timestamp(seconds: start)
                $0.estimatedRestorationTime = Timestamp(seconds: start + 4 * 3600)
                $0.reportedBy = "AMI last-gasp"
            },
            faultAsset: asset, affectedPremises: premises, confirmed: true, endSeconds: end))
        let outage = plan.outages.count - 1
        let crew = random.int(0...(plan.crews.count - 1))
        plan.workOrders.append(PlannedWorkOrder(
            workOrder: .with {
                $0.kind = .restoration
                $0.priority = end == nil ? .emergency : .high
                $0.instructions = "Patrol, isolate the fault and restore service"
                $0.dueTime = Timestamp(seconds: start + 4 * 3600)
            },
            asset: asset, outage: outage, crew: crew,
            transitions: end == nil ? [.enRoute] : [.enRoute, .inProgress, .completed]))
        return outage
    }
}
