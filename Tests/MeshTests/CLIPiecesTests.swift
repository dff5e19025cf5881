import ArgumentParser
import Foundation
import ProtoRuntime
@testable import QECLI
import RPCCore
import XCTest

/// The CLI's shared pieces: addresses and call options, request building, value formatting,
/// tables and views, the readings CSV, error reports.
final class CLIPiecesTests: XCTestCase {
    /// demo-seed's limits are checked before anything starts, with the reason.
    func testMeshUpRefusesDemoDataSizesDemoSeedWouldReject() throws {
        XCTAssertNoThrow(try MeshCommand.Up.parse(["--seed-customers", "2", "--seed-days", "2"]))
        for (arguments, reason) in [(["--seed-days", "1"], "--seed-days must be at least 2"), (["--seed-customers", "1"], "--seed-customers must be at least 2")] {
            XCTAssertThrowsError(try MeshCommand.Up.parse(arguments)) { error in
                XCTAssertTrue(MeshCommand.Up.message(for: error).contains(reason), MeshCommand.Up.message(for: error))
            }
        }
    }

    func testAddressPrecedenceIsFlagThenServiceVariableThenQEADDRThenMeshDefault() throws {
        var options = try GlobalOptions.parse([])
        XCTAssertEqual(options.address(for: .customer, environment: [:]), "127.0.0.1:50061")
        XCTAssertEqual(options.address(for: .gateway, environment: [:]), "127.0.0.1:50060")
        XCTAssertEqual(options.address(for: .customer, environment: ["QE_ADDR": "h:1"]), "h:1")
        XCTAssertEqual(options.address(for: .customer, environment: ["QE_ADDR": "h:1", "QE_CUSTOMER_ADDR": "c:2"]), "c:2")
        XCTAssertEqual(options.address(for: .finance, environment: ["QE_CUSTOMER_ADDR": "c:2"]), "127.0.0.1:50065")
        options = try GlobalOptions.parse(["--addr", "x:3"])
        XCTAssertEqual(options.address(for: .customer, environment: ["QE_CUSTOMER_ADDR": "c:2"]), "x:3")
    }

    func testMetadataTokenAndDeadline() throws {
        let options = try GlobalOptions.parse(["-H", "X-Trace=abc", "--header", "tenant=a=b", "--deadline", "250ms"])
        let metadata = try options.metadata(environment: ["QE_TOKEN": "t0k"])
        XCTAssertEqual(metadata.first("x-trace"), "abc")
        XCTAssertEqual(metadata.first("tenant"), "a=b")
        XCTAssertEqual(metadata.first("authorization"), "Bearer t0k")
        XCTAssertEqual(try options.callTimeout(), .milliseconds(250))
        let flagToken = try GlobalOptions.parse(["--token", "flag"]).metadata(environment: ["QE_TOKEN": "env"])
        XCTAssertEqual(flagToken[stringValues: "authorization"], ["Bearer flag"])
        XCTAssertThrowsError(try GlobalOptions.parse(["--deadline", "soon"]))
        XCTAssertThrowsError(try GlobalOptions.parse(["-H", "novalue"]))
        XCTAssertEqual(DurationArgument.parse("2m"), .seconds(120))
        XCTAssertEqual(DurationArgument.parse("1.5"), .milliseconds(1500))
        XCTAssertNil(DurationArgument.parse("-1s"))
    }

    func testRequestJSONBuildsEnumsInstantsDatesAndFixedPoint() throws {
        XCTAssertEqual(RequestJSON.enumName("CUSTOMER_KIND", "residential"), .string("CUSTOMER_KIND_RESIDENTIAL"))
        XCTAssertEqual(RequestJSON.enumName("REGULATORY_SCOPE", "non-regulated"), .string("REGULATORY_SCOPE_NON_REGULATED"))
        XCTAssertEqual(RequestJSON.enumName("COMMODITY", "COMMODITY_GAS"), .string("COMMODITY_GAS"))
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        XCTAssertEqual(try RequestJSON.timestamp("2026-01-31", flag: "--from"), .string("2026-01-31T00:00:00Z"))
        XCTAssertEqual(try RequestJSON.timestamp("-1d", flag: "--from", now: now), .string(RFC3339.format(Timestamp(seconds: 1_764_000_000 - 86_400))))
        XCTAssertThrowsError(try RequestJSON.timestamp("yesterday", flag: "--from")) { error in
            XCTAssertTrue("\(error)".contains("--from 'yesterday' is not valid"), "\(error)")
        }
        XCTAssertEqual(try RequestJSON.date("2026-02-28", flag: "--to"),
                       .object([("year", .number("2026")), ("month", .number("2")), ("day", .number("28"))]))
        XCTAssertThrowsError(try RequestJSON.date("2026-02-30", flag: "--to"))
        XCTAssertEqual(try RequestJSON.milli("1.25", flag: "v"), 1250)
        XCTAssertEqual(try RequestJSON.milli("-0.001", flag: "v"), -1)
        XCTAssertEqual(try RequestJSON.fixedPoint("-121.4932314", scale: 7, flag: "--lon"), -1_214_932_314)
        for bad in ["1.2345", "abc", "", "1.", "1e3"] {
            XCTAssertThrowsError(try RequestJSON.milli(bad, flag: "v"), bad)
        }
        let object = RequestJSON.object([("a", .string("x")), ("b", nil), ("c", RequestJSON.string(""))])
        XCTAssertEqual(object, .object([("a", .string("x"))]))
    }

    func testValuesReadForPeople() {
        XCTAssertEqual(ValueFormatter.text(.object([("currencyCode", .string("USD")), ("minorUnits", .string("-123456"))])), "USD -1,234.56")
        XCTAssertEqual(ValueFormatter.text(.object([("currencyCode", .string("JPY")), ("minorUnits", .string("5"))])), "JPY 5")
        XCTAssertEqual(ValueFormatter.text(.object([("currencyCode", .string("USD"))])), "USD 0.00")
        XCTAssertEqual(ValueFormatter.text(.object([("milliValue", .string("1250")), ("unit", .string("ENERGY_UNIT_KWH"))])), "1.250 kWh")
        XCTAssertEqual(ValueFormatter.text(.object([
            ("currencyCode", .string("USD")), ("microMinorUnits", .string("25000000")), ("unit", .string("ENERGY_UNIT_KWH")),
        ])), "USD 0.25/kWh")
        XCTAssertEqual(ValueFormatter.text(.object([("year", .number("2026")), ("month", .number("1")), ("day", .number("5"))])), "2026-01-05")
        XCTAssertEqual(ValueFormatter.text(.string("CUSTOMER_KIND_RESIDENTIAL"), key: "kind"), "residential")
        XCTAssertEqual(ValueFormatter.text(.string("BUSINESS_UNIT_NON_REGULATED"), key: "recipientBusinessUnit"), "non_regulated")
        XCTAssertEqual(ValueFormatter.text(.array([.string("CONSENT_SCOPE_USAGE_DATA")]), key: "scopes"), "usage_data")
        XCTAssertEqual(ValueFormatter.text(.string("1234567"), key: "saifiMicro"), "1.234567")
        XCTAssertEqual(ValueFormatter.text(.string("CUS-01ABC")), "CUS-01ABC")
        XCTAssertEqual(ValueFormatter.text(.object([("state", .string("SECTION_STATE_OK")), ("service", .string("s"))])), "ok")
        XCTAssertEqual(
            ValueFormatter.text(.object([
                ("state", .string("SECTION_STATE_OK")), ("withheldCount", .number("1")), ("rule", .string("affiliate.regulated-data")),
            ])),
            "ok (1 withheld by the separation policy, rule affiliate.regulated-data)")
        // Proto3 JSON leaves zeros out; a count column still reads 0.
        let counts = HumanRenderer.render(.object([("a", .number("3"))]), view: .fields([Column.count("a", "a"), Column.count("b", "b")]))
        XCTAssertEqual(counts.split(separator: "\n").map { $0.split(separator: " ").last.map(String.init) }, ["3", "0"])
        XCTAssertEqual(ValueFormatter.text(.object([
            ("state", .string("SECTION_STATE_FAILED")), ("code", .number("14")), ("message", .string("down")), ("service", .string("metering")),
        ])), "failed (metering: UNAVAILABLE: down)")
    }

    func testViewsRenderTablesRecordsAndNestedLists() {
        let response: JSONValue = .object([
            ("items", .array([
                .object([("id", .string("A-1")), ("amount", .object([("currencyCode", .string("USD")), ("minorUnits", .string("5"))])),
                         ("children", .array([.object([("id", .string("c1"))]), .object([("id", .string("c2"))])]))]),
                .object([("id", .string("A-22")), ("children", .array([.object([("id", .string("c3"))])]))]),
            ])),
            ("nextPageToken", .string("tok")),
        ])
        let table = HumanRenderer.render(response, view: .table("items", [Column("ID", "id"), Column("AMOUNT", "amount", right: true), Column("N", "children#")]))
        XCTAssertEqual(table, "ID      AMOUNT  N\nA-1   USD 0.05  2\nA-22            1\n(more: --page-token tok)")
        let nested = HumanRenderer.render(.object([("items", response["items"]!)]), view: .table("items[].children", [Column("CHILD", "id")]))
        XCTAssertEqual(nested, "CHILD\nc1\nc2\nc3")
        let record = HumanRenderer.render(.object([("c", .object([("customerId", .string("CUS-1")), ("contact", .object([("emails", .array([
            .object([("address", .string("a@b.c")), ("primary", .bool(true))]),
        ]))]))]))]), view: .record("c"))
        XCTAssertEqual(record, "customerId      CUS-1\ncontact.emails  a@b.c")
        XCTAssertEqual(HumanRenderer.render(.object([]), view: .table("items", [Column("ID", "id")])), "(none)")
    }

    func testReadingsCSV() throws {
        let readings = try ReadingsCSV.parse("""
            meter_point_id,interval_start,value,channel
            MTR-1,2026-01-01T00:00:00Z,0.25,received
            MTR-1,2026-01-01T00:15:00Z,1,

            """)
        XCTAssertEqual(readings.count, 2)
        XCTAssertEqual(readings[0]["channel"], .string("READING_CHANNEL_RECEIVED"))
        XCTAssertEqual(readings[1]["channel"], .string("READING_CHANNEL_DELIVERED"))
        XCTAssertEqual(readings[1]["value"]?["milliValue"], .string("1000"))
        XCTAssertThrowsError(try ReadingsCSV.parse("meter_point_id,value\nMTR-1,1\n")) { error in
            XCTAssertTrue("\(error)".contains("no interval_start column"), "\(error)")
        }
        XCTAssertThrowsError(try ReadingsCSV.parse("meter_point_id,interval_start,value\nMTR-1,2026-01-01,x\n")) { error in
            XCTAssertTrue("\(error)".contains("line 2 value"), "\(error)")
        }
    }

    func testRPCErrorsPrintStatusNameCodeAndMessage() {
        let failure = RPCFailure.from(RPCError(code: .notFound, message: "customer CUS-1 does not exist"))
        XCTAssertEqual(failure?.description, "error: NOT_FOUND (5): customer CUS-1 does not exist")
        XCTAssertNil(RPCFailure.from(CocoaError(.fileNoSuchFile)))
    }
}
