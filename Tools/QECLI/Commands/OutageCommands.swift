import ArgumentParser
import OutageAPI
import ProtoRuntime

// outage-service: outage events and work orders.

private typealias J = RequestJSON

public struct OutageCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "outage", abstract: "Outage events (outage-service).",
        subcommands: [List.self, Get.self, Report.self])
    public init() {}

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists outages, newest first.")
        @Flag(help: "Only outages not yet restored.") var open = false
        @Option(help: "Affecting this premise (PRM-…); repeatable.") var premise: [String] = []
        @Option(help: "At this fault asset (AST-…).") var faultAsset: String?
        @OptionGroup(title: "Started") var started: TimeRangeOptions
        @Option(help: "Filter.") var filter: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .outage).unary(
                OutageServiceMethods.listOutages, ListOutagesRequest.self,
                J.object([
                    ("openOnly", J.bool(open)), ("timeRange", try started.json()), ("premiseIds", J.strings(premise)),
                    ("faultAssetId", J.string(faultAsset)), ("filter", J.string(filter)),
                ] + page.members),
                ListOutagesResponse.self,
                view: .table("outages", [
                    Column("ID", "outageId"), Column("STATUS", "status"), Column("CAUSE", "cause"), Column("FAULT ASSET", "faultAssetId"),
                    Column("CUSTOMERS", "customersAffected", right: true), Column("STARTED", "startTime"), Column("ENDED", "endTime"),
                ]))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one outage.")
        @Argument(help: "Outage id (OUT-…).") var outageID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .outage).unary(
                OutageServiceMethods.getOutage, GetOutageRequest.self, J.object([("outageId", .string(outageID))]),
                GetOutageResponse.self, view: .record("outage"))
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reports a new outage.")
        @Option(help: "weather, equipment_failure, vegetation, animal, vehicle, third_party_damage, overload or planned.") var cause: String
        @Option(help: "The asset that failed (AST-…).") var faultAsset: String?
        @Option(help: "An affected premise (PRM-…); repeatable.") var premise: [String] = []
        @Option(help: "electric or gas.") var commodity = "electric"
        @Option(help: "Start (default now).") var start = "now"
        @Option(help: "Who reported it.") var reportedBy: String?
        @Option(help: "Details of the cause.") var detail: String?
        @Option(help: "Notes.") var notes: String?
        @Option(help: "Idempotency key.") var requestID: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let outage = J.object([
                ("commodity", J.enumName("COMMODITY", commodity)), ("cause", J.enumName("OUTAGE_CAUSE", cause)),
                ("causeDetail", J.string(detail)), ("faultAssetId", J.string(faultAsset)), ("affectedPremiseIds", J.strings(premise)),
                ("startTime", try J.timestamp(start, flag: "--start")), ("reportedBy", J.string(reportedBy)), ("notes", J.string(notes)),
            ])
            try await RPCInvoker(global, .outage).unary(
                OutageServiceMethods.reportOutage, ReportOutageRequest.self,
                J.object([("outage", outage), ("requestId", J.string(requestID))]), ReportOutageResponse.self, view: .record("outage"))
        }
    }
}

public struct WorkOrderCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "workorder", abstract: "Work orders (outage-service).", subcommands: [List.self, Get.self])
    public init() {}

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists work orders.")
        @Flag(help: "Only open work orders.") var open = false
        @Option(help: "created, assigned, en_route, in_progress, completed or cancelled.") var status: String?
        @Option(help: "For this outage (OUT-…).") var outage: String?
        @Option(help: "On this asset (AST-…); repeatable.") var asset: [String] = []
        @Option(help: "At this premise (PRM-…).") var premise: String?
        @Option(help: "Assigned to this crew.") var crew: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .outage).unary(
                OutageServiceMethods.listWorkOrders, ListWorkOrdersRequest.self,
                J.object([
                    ("openOnly", J.bool(open)), ("status", J.enumName("WORK_ORDER_STATUS", status)), ("assetIds", J.strings(asset)),
                    ("outageId", J.string(outage)), ("crewId", J.string(crew)), ("premiseId", J.string(premise)),
                ] + page.members),
                ListWorkOrdersResponse.self,
                view: .table("workOrders", [
                    Column("ID", "workOrderId"), Column("KIND", "kind"), Column("PRIORITY", "priority"), Column("STATUS", "status"),
                    Column("ASSET", "assetId"), Column("OUTAGE", "outageId"), Column("CREW", "crewId"), Column("DUE", "dueTime"),
                ]))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one work order.")
        @Argument(help: "Work order id (WO-…).") var workOrderID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .outage).unary(
                OutageServiceMethods.getWorkOrder, GetWorkOrderRequest.self, J.object([("workOrderId", .string(workOrderID))]),
                GetWorkOrderResponse.self, view: .record("workOrder"))
        }
    }
}
