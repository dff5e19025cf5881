import ArgumentParser
import Foundation
import MeteringAPI
import ProtoRuntime

// metering-service: meter points, consumption profiles, reading ingestion.

private typealias J = RequestJSON

public struct MeterCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "meter", abstract: "Meter points and their consumption (metering-service).",
        subcommands: [Get.self, List.self, Create.self, Profile.self, Latest.self])
    public init() {}

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one meter point.")
        @Argument(help: "Meter point id (MTR-…).") var meterPointID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .metering).unary(
                MeteringServiceMethods.getMeterPoint, GetMeterPointRequest.self, J.object([("meterPointId", .string(meterPointID))]),
                GetMeterPointResponse.self, view: .record("meterPoint"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists meter points (at premises).")
        @Option(help: "Premise id (PRM-…); repeatable.") var premise: [String] = []
        @Option(help: "Filter.") var filter: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .metering).unary(
                MeteringServiceMethods.listMeterPoints, ListMeterPointsRequest.self,
                J.object([("premiseIds", J.strings(premise)), ("filter", J.string(filter))] + page.members),
                ListMeterPointsResponse.self,
                view: .table("meterPoints", [
                    Column("ID", "meterPointId"), Column("PREMISE", "premiseId"), Column("COMMODITY", "commodity"),
                    Column("UNIT", "unit"), Column("INTERVAL", "intervalLength"), Column("PURPOSE", "purpose"),
                    Column("SCOPE", "regulatoryScope"), Column("STATUS", "status"),
                ]))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Creates a meter point at a premise.")
        @Option(help: "Premise id (PRM-…).") var premise: String
        @Option(help: "electric or gas.") var commodity = "electric"
        @Option(help: "wh, kwh, therm, …") var unit = "kwh"
        @Option(help: "Interval length, e.g. 15m.") var interval = "15m"
        @Option(help: "revenue, generation or submeter.") var purpose = "revenue"
        @Option(help: "regulated or non_regulated.") var scope = "regulated"
        @Option(help: "Meter asset id (AST-…).") var meterAsset: String?
        @Option(help: "IANA time zone.") var timeZone: String?
        @Option(help: "Idempotency key.") var requestID: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let length = DurationArgument.parse(interval) else {
                throw ValidationError("--interval '\(interval)' is not valid: expected e.g. 15m")
            }
            let meterPoint = J.object([
                ("premiseId", .string(premise)), ("meterAssetId", J.string(meterAsset)),
                ("commodity", J.enumName("COMMODITY", commodity)), ("unit", J.enumName("ENERGY_UNIT", unit)),
                ("intervalLength", .string("\(length.components.seconds)s")), ("purpose", J.enumName("METER_POINT_PURPOSE", purpose)),
                ("regulatoryScope", J.enumName("REGULATORY_SCOPE", scope)), ("timeZone", J.string(timeZone)),
            ])
            try await RPCInvoker(global, .metering).unary(
                MeteringServiceMethods.createMeterPoint, CreateMeterPointRequest.self,
                J.object([("meterPoint", meterPoint), ("requestId", J.string(requestID))]),
                CreateMeterPointResponse.self, view: .record("meterPoint"))
        }
    }

    struct Profile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Consumption of a meter point (or premise) in buckets.")
        @Argument(help: "Meter point id (MTR-…); or use --premise.") var meterPointID: String?
        @Option(help: "Premise id (PRM-…): all its meter points.") var premise: String?
        @Option(help: "Days back from now.") var days = 30
        @Option(help: "hour, day or month.") var bucket = "day"
        @Option(help: "IANA time zone for day/month buckets.") var timeZone: String?
        @Flag(help: "Estimate missing intervals.") var fillGaps = false
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard (meterPointID == nil) != (premise == nil) else {
                throw ValidationError("give a meter point id or --premise (one of them)")
            }
            guard days > 0 else { throw ValidationError("--days must be positive") }
        }

        func run() async throws {
            let now = Date()
            let range = J.object([
                ("startTime", try J.timestamp("-\(days)d", flag: "--days", now: now)), ("endTime", try J.timestamp("now", flag: "now", now: now)),
            ])
            try await RPCInvoker(global, .metering).unary(
                MeteringServiceMethods.getConsumptionProfile, GetConsumptionProfileRequest.self,
                J.object([
                    ("meterPointId", J.string(meterPointID)), ("premiseId", J.string(premise)), ("timeRange", range),
                    ("bucketSize", J.enumName("BUCKET_SIZE", bucket)), ("timeZone", J.string(timeZone)), ("fillGaps", J.bool(fillGaps)),
                ]),
                GetConsumptionProfileResponse.self,
                view: .sections([
                    ("profile", .fields([
                        Column("meter points", "profile.meterPointIds"), Column("range", "profile.timeRange"),
                        Column("delivered", "profile.totalDelivered"), Column("received", "profile.totalReceived"),
                        Column("net", "profile.totalNet"),
                    ])),
                    ("buckets", .table("profile.buckets", [
                        Column("START", "startTime"), Column("DELIVERED", "delivered", right: true), Column("RECEIVED", "received", right: true),
                        Column("NET", "net", right: true), Column("INTERVALS", "intervalCount", right: true),
                        Column("MISSING", "missingIntervalCount", right: true), Column("ESTIMATED", "estimatedIntervalCount", right: true),
                    ])),
                ]))
        }
    }

    struct Latest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The latest interval reading of a meter point.")
        @Argument(help: "Meter point id (MTR-…).") var meterPointID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .metering).unary(
                MeteringServiceMethods.getLatestReading, GetLatestReadingRequest.self, J.object([("meterPointId", .string(meterPointID))]),
                GetLatestReadingResponse.self, view: .record("reading"))
        }
    }
}

public struct ReadingsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "readings", abstract: "Meter readings (metering-service).", subcommands: [Ingest.self])
    public init() {}

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Streams readings from a CSV file to IngestReadings.",
            discussion: """
                The CSV has a header naming its columns: meter_point_id, interval_start (RFC 3339) and value
                (decimal, at most 3 places) are required; unit (default kwh), channel (delivered|received),
                kind (interval|daily|monthly) and quality (actual|estimated) are optional.
                """)
        @Option(help: "CSV file, or - for stdin.") var file: String
        @Option(help: "Readings per stream message.") var batchSize = 1000
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                    throw ValidationError("--file '\(file)': cannot read it")
                }
                text = contents
            }
            let readings = try ReadingsCSV.parse(text)
            let batches = try stride(from: 0, to: readings.count, by: max(1, batchSize)).map { start in
                try J.message(IngestReadingsRequest.self, from: J.object([("readings", .array(Array(readings[start..<min(start + max(1, batchSize), readings.count)])))]))
            }
            let invoker = RPCInvoker(global, .metering)
            let response = try await invoker.withChannel { channel, options in
                try await MeteringServiceClient(channel: channel).ingestReadings(options: options) { writer in
                    for batch in batches { try await writer.write(batch) }
                }
            }
            invoker.print(response, view: .sections([
                ("summary", .fields([
                    Column("batches", "summary.batchCount"), Column("received", "summary.receivedCount"),
                    Column("accepted", "summary.acceptedCount"), Column("duplicates", "summary.duplicateCount"),
                    Column("rejected", "summary.rejectedCount"), Column("rejections truncated", "summary.rejectionsTruncated"),
                ])),
                ("rejections", .table("summary.rejections", [
                    Column("BATCH", "batchIndex", right: true), Column("ROW", "rowIndex", right: true), Column("REASON", "reason"),
                    Column("FIELD", "field"), Column("MESSAGE", "message"),
                ])),
            ]))
        }
    }
}

/// Readings CSV (header row, then one reading per line) → IngestReadings JSON readings.
public enum ReadingsCSV {
    public static func parse(_ text: String) throws -> [JSONValue] {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { throw ValidationError("the readings file is empty") }
        let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["meter_point_id", "interval_start", "value"] where !header.contains(required) {
            throw ValidationError("the readings file's header has no \(required) column (it has: \(header.joined(separator: ", ")))")
        }
        return try lines.enumerated().map { offset, line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let row = offset + 2
            guard cells.count == header.count else {
                throw ValidationError("line \(row): \(cells.count) values for \(header.count) columns")
            }
            var fields: [String: String] = [:]
            for (name, cell) in zip(header, cells) where !cell.isEmpty { fields[name] = cell }
            guard let meter = fields["meter_point_id"], let start = fields["interval_start"], let value = fields["value"] else {
                throw ValidationError("line \(row): meter_point_id, interval_start and value are required")
            }
            let milli = try J.milli(value, flag: "line \(row) value")
            return J.object([
                ("meterPointId", .string(meter)), ("intervalStart", try J.timestamp(start, flag: "line \(row) interval_start")),
                ("kind", J.enumName("READING_KIND", fields["kind"] ?? "interval")),
                ("channel", J.enumName("READING_CHANNEL", fields["channel"] ?? "delivered")),
                ("value", J.object([("milliValue", .string(String(milli))), ("unit", J.enumName("ENERGY_UNIT", fields["unit"] ?? "kwh"))])),
                ("quality", J.enumName("READING_QUALITY", fields["quality"] ?? "actual")),
            ])
        }
    }
}
