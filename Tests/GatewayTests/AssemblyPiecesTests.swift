import CustomerAPI
import GatewayAPI
import GatewayCore
import MeshAuth
import GatewayService
import MeteringAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import XCTest

/// The pure pieces of the fan-out, called directly: counts, truncation, section statuses,
/// deadline arithmetic, metadata forwarding, billing inputs and request validation.
final class AssemblyPiecesTests: XCTestCase {
    private func account(_ id: String, customer: String, premise: String, _ scope: RegulatoryScope) -> CustomerAccount {
        .with {
            $0.accountID = id
            $0.customerID = customer
            $0.premiseID = premise
            $0.regulatoryScope = scope
        }
    }

    func testCountsByAccountTypeAndDistinctCustomers() {
        let accounts = [
            account("ACC-1", customer: "CUS-1", premise: "PRM-1", .regulated),
            account("ACC-2", customer: "CUS-1", premise: "PRM-1", .nonRegulated),
            account("ACC-3", customer: "CUS-2", premise: "PRM-2", .regulated),
        ]
        let counts = ImpactTally.counts(downstreamAssetCount: 5, meterPointCount: 2, premiseCount: 2, accounts: accounts)
        XCTAssertEqual(counts.downstreamAssetCount, 5)
        XCTAssertEqual(counts.meterPointCount, 2)
        XCTAssertEqual(counts.premiseCount, 2)
        XCTAssertEqual(counts.accountCount, 3)
        XCTAssertEqual(counts.regulatedAccountCount, 2)
        XCTAssertEqual(counts.nonRegulatedAccountCount, 1)
        XCTAssertEqual(counts.customerCount, 2)
    }

    func testTargetsGroupAccountsAndPremisesByCustomer() {
        let accounts = [
            account("ACC-2", customer: "CUS-1", premise: "PRM-1", .nonRegulated),
            account("ACC-1", customer: "CUS-1", premise: "PRM-1", .regulated),
            account("ACC-3", customer: "CUS-2", premise: "PRM-2", .regulated),
        ]
        let customers: [Customer] = [
            .with { $0.customerID = "CUS-2"; $0.displayName = "Bo"; $0.contactWithheld = true },
            .with {
                $0.customerID = "CUS-1"
                $0.displayName = "Ana"
                $0.communicationPreferences = .with { $0.outageAlertsOptIn = true; $0.preferredChannels = [.sms] }
            },
        ]
        let targets = ImpactTally.targets(accounts: accounts, customers: customers)
        XCTAssertEqual(targets.map(\.customerID), ["CUS-1", "CUS-2"])
        XCTAssertEqual(targets[0].accountIDs, ["ACC-1", "ACC-2"])
        XCTAssertEqual(targets[0].premiseIDs, ["PRM-1"])
        XCTAssertEqual(targets[0].communicationPreferences?.outageAlertsOptIn, true)
        XCTAssertEqual(targets[1].contactWithheld, true)
    }

    func testTruncationAtMaxItems() {
        XCTAssertEqual(ImpactTally.maxItems(0), 10_000)
        XCTAssertEqual(ImpactTally.maxItems(3), 3)
        let cut = ImpactTally.truncated([1, 2, 3, 4], to: 3)
        XCTAssertEqual(cut.items, [1, 2, 3])
        XCTAssertTrue(cut.truncated)
        let whole = ImpactTally.truncated([1, 2, 3], to: 3)
        XCTAssertEqual(whole.items, [1, 2, 3])
        XCTAssertFalse(whole.truncated)
    }

    func testSectionStatusMapping() {
        let ok = SectionStatuses.ok(.finance)
        XCTAssertEqual(ok.state, .ok)
        XCTAssertEqual(ok.code, 0)
        XCTAssertEqual(ok.service, "quantum.finance.v1.FinanceService")

        let down = SectionStatuses.from(RPCError(code: .unavailable, message: "cannot connect to 127.0.0.1:1"), service: .metering)
        XCTAssertEqual(down.state, .failed)
        XCTAssertEqual(down.code, 14)
        XCTAssertEqual(down.service, "quantum.metering.v1.MeteringService")
        XCTAssertEqual(down.message, "metering-service: UNAVAILABLE: cannot connect to 127.0.0.1:1")

        let denied = SectionStatuses.from(
            RPCError(code: .permissionDenied, message: "balance of ACC-1 is regulated data (rule affiliate.regulated-data)"),
            service: .finance)
        XCTAssertEqual(denied.state, .withheld)
        XCTAssertEqual(denied.code, 7)
        XCTAssertEqual(denied.rule, "affiliate.regulated-data")
        XCTAssertEqual(denied.message, "balance of ACC-1 is regulated data (rule affiliate.regulated-data)", "passed through")
        XCTAssertEqual(SectionStatuses.from(RPCError(code: .permissionDenied, message: "no"), service: .finance).rule, "")
        // The services' own wording (SeparationPolicy.deniedMessage).
        let servicesWording = SeparationPolicy.deniedMessage(
            rule: "affiliate.non-regulated-data", caller: Caller(subject: "x", businessUnit: .regulated, scopes: []), data: .usageData)
        XCTAssertEqual(SectionStatuses.rule(fromMessage: servicesWording), "affiliate.non-regulated-data")

        let missing = RPCError(code: .notFound, message: "no reading yet")
        XCTAssertEqual(SectionStatuses.from(missing, service: .metering).state, .failed)
        let notApplicable = SectionStatuses.from(missing, service: .metering, notFound: .notApplicable)
        XCTAssertEqual(notApplicable.state, .notApplicable)
        XCTAssertEqual(notApplicable.code, 5)
    }

    func testSectionAndEssentialCallsMapFailures() async throws {
        let call = DownstreamCall(callerDeadline: .distantFuture, callerMetadata: [:])
        let failed: Section<Int> = await call.section(.outage) { _ in throw RPCError(code: .deadlineExceeded, message: "slow") }
        XCTAssertNil(failed.value)
        XCTAssertEqual(failed.status.state, .failed)
        XCTAssertEqual(failed.status.code, 4)
        let fine: Section<Int> = await call.section(.outage) { _ in 7 }
        XCTAssertEqual(fine.value, 7)
        XCTAssertEqual(fine.status.state, .ok)
        do {
            _ = try await call.essential(.customer) { _ -> Int in throw RPCError(code: .notFound, message: "customer 'CUS-9' not found") }
            XCTFail("an essential failure must throw")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .notFound)
            XCTAssertEqual(error.message, "customer-service: customer 'CUS-9' not found")
        }
    }

    func testDeadlineMarginArithmetic() {
        let policy = DeadlinePolicy()
        XCTAssertEqual(policy.margin(forRemaining: .milliseconds(200)), .milliseconds(20), "10% below the cap")
        XCTAssertEqual(policy.margin(forRemaining: .seconds(2)), .milliseconds(50), "capped at 50 ms")
        XCTAssertEqual(policy.margin(forRemaining: .zero), .zero)
        XCTAssertEqual(policy.margin(forRemaining: .milliseconds(-5)), .zero, "an expired deadline keeps no margin")

        let now = ContinuousClock.now
        let caller = Deadline(now.advanced(by: .seconds(1)))
        XCTAssertEqual(policy.downstreamDeadline(caller: caller, now: now), Deadline(now.advanced(by: .milliseconds(950))))
        XCTAssertNil(policy.downstreamDeadline(caller: .distantFuture, now: now), "no caller deadline: per-call default")

        let noDeadline = DownstreamCall(callerDeadline: .distantFuture, callerMetadata: [:], policy: DeadlinePolicy(defaultTimeout: .seconds(3)))
        let remaining = noDeadline.options().deadline.remaining ?? .zero
        XCTAssertTrue(remaining > .milliseconds(2900) && remaining <= .seconds(3), "default per call: \(remaining)")
    }

    func testMetadataIsForwardedAndARequestIDMade() {
        var incoming = Metadata()
        incoming.add("authorization", "Bearer abc")
        incoming.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        incoming.add("tracestate", "qe=1")
        incoming.add("x-other", "dropped")
        let outgoing = ForwardedMetadata.make(from: incoming) { "generated-id" }
        XCTAssertEqual(outgoing.first("authorization"), "Bearer abc")
        XCTAssertEqual(outgoing.first("traceparent"), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        XCTAssertEqual(outgoing.first("tracestate"), "qe=1")
        XCTAssertEqual(outgoing.first("x-request-id"), "generated-id")
        XCTAssertFalse(outgoing.contains("x-other"))
        incoming.add("x-request-id", "from-caller")
        XCTAssertEqual(ForwardedMetadata.make(from: incoming) { "unused" }.first("x-request-id"), "from-caller")
    }

    func testRequestIDsAreVersionFourUUIDs() throws {
        // All bits set and all clear: the version nibble and the variant bits are forced either way.
        XCTAssertEqual(RequestID.make(high: .max, low: .max), "ffffffff-ffff-4fff-bfff-ffffffffffff")
        XCTAssertEqual(RequestID.make(high: 0, low: 0), "00000000-0000-4000-8000-000000000000")
        XCTAssertEqual(RequestID.make(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210),
                       "01234567-89ab-4def-bedc-ba9876543210")
        let fresh = (0..<100).map { _ in RequestID.random() }
        XCTAssertEqual(Set(fresh).count, 100)
        for id in fresh {
            let uuid = try XCTUnwrap(UUID(uuidString: id), id)
            XCTAssertEqual(uuid.uuidString.lowercased(), id)
            XCTAssertEqual(Array(id)[14], "4", id)
            XCTAssertTrue("89ab".contains(Array(id)[19]), id)
        }
    }

    func testBoundedConcurrencyKeepsOrderAndLimit() async {
        let inFlight = InFlightCounter()
        let results = await BoundedConcurrency.map(Array(0..<20), limit: 3) { item in
            await inFlight.enter()
            try? await Task.sleep(for: .milliseconds(5))
            await inFlight.leave()
            return item * 2
        }
        XCTAssertEqual(results, (0..<20).map { $0 * 2 })
        let peak = await inFlight.peak
        XCTAssertLessThanOrEqual(peak, 3)
        XCTAssertGreaterThan(peak, 1, "runs concurrently")
    }

    func testBillingPeriodAndUsage() throws {
        let period = DateRange.with {
            $0.startDate = .with { $0.year = 2025; $0.month = 3; $0.day = 1 }
            $0.endDate = .with { $0.year = 2025; $0.month = 3; $0.day = 31 }
        }
        let utc = try XCTUnwrap(BillingInputs.timeRange(of: period, timeZone: "UTC"))
        XCTAssertEqual(utc.startTime?.seconds, 1_740_787_200)  // 2025-03-01T00:00Z
        XCTAssertEqual(utc.endTime?.seconds, 1_743_465_600)  // 2025-04-01T00:00Z
        let pacific = try XCTUnwrap(BillingInputs.timeRange(of: period, timeZone: "America/Los_Angeles"))
        XCTAssertEqual(pacific.startTime?.seconds, 1_740_787_200 + 8 * 3600, "PST")
        XCTAssertEqual(pacific.endTime?.seconds, 1_743_465_600 + 7 * 3600, "PDT after the switch")
        XCTAssertNil(BillingInputs.timeRange(of: period, timeZone: "Mars/Olympus"))

        let profile = ConsumptionProfile.with {
            $0.unit = .kwh
            $0.buckets = [
                .with { $0.startTime = Timestamp(seconds: 0); $0.endTime = Timestamp(seconds: 3600); $0.delivered = .with { $0.milliValue = 1500 } },
                .with { $0.startTime = Timestamp(seconds: 3600); $0.endTime = Timestamp(seconds: 7200); $0.delivered = .with { $0.milliValue = 0 } },
            ]
        }
        let usage = BillingInputs.usage(from: profile)
        XCTAssertEqual(usage.count, 1, "empty buckets add nothing")
        XCTAssertEqual(usage[0].length, ProtoDuration(seconds: 3600))
        XCTAssertEqual(usage[0].energy, .with { $0.milliValue = 1500; $0.unit = .kwh })
    }

    func testTariffChoice() throws {
        let chosen = try BillingInputs.tariffID(
            agreements: [("AGR-2", "PRD-EV"), ("AGR-1", "PRD-E1")], tariffByProduct: ["PRD-E1": "TRF-1"], accountID: "ACC-1")
        XCTAssertEqual(chosen.tariffID, "TRF-1")
        XCTAssertEqual(chosen.agreementIDs, ["AGR-1"])
        XCTAssertThrowsError(try BillingInputs.tariffID(agreements: [("AGR-2", "PRD-EV")], tariffByProduct: [:], accountID: "ACC-1")) {
            XCTAssertEqual(($0 as? RPCError)?.code, .failedPrecondition)
        }
        XCTAssertThrowsError(try BillingInputs.tariffID(
            agreements: [("AGR-1", "PRD-1"), ("AGR-2", "PRD-2")], tariffByProduct: ["PRD-1": "TRF-1", "PRD-2": "TRF-2"], accountID: "ACC-1")) {
            XCTAssertTrue(($0 as? RPCError)?.message.contains("TRF-1, TRF-2") ?? false)
        }
    }

    func testCustomersAreCountedAtThePeriodEndOrNow() {
        let now = Timestamp(seconds: 1000)
        XCTAssertEqual(FanOut.customersServedInstant(periodEnd: Timestamp(seconds: 500), now: now), Timestamp(seconds: 500))
        XCTAssertEqual(FanOut.customersServedInstant(periodEnd: Timestamp(seconds: 5000), now: now), now)
    }

    func testValidationNamesTheField() {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "valid" } catch { return (error as? RPCError).map { "\($0.code.name): \($0.message)" } ?? "\(error)" }
        }
        XCTAssertEqual(message { try GatewayRequestValidation.validate(GetCustomerOverviewRequest()) }, "INVALID_ARGUMENT: customer_id is required")
        XCTAssertTrue(message { try GatewayRequestValidation.validate(.with { $0.customerID = "PRM-1" } as GetCustomerOverviewRequest) }
            .contains("customer_id 'PRM-1' is not a CUS- id"))
        XCTAssertTrue(message {
            try GatewayRequestValidation.validate(.with { $0.customerID = "CUS-1"; $0.recentTransactionLimit = 101 } as GetCustomerOverviewRequest)
        }.contains("recent_transaction_limit"))
        XCTAssertTrue(message { try GatewayRequestValidation.validate(GetOutageImpactRequest()) }.contains("subject is required"))
        XCTAssertTrue(message {
            try GatewayRequestValidation.validate(.with { $0.subject = .assetID("AST-1"); $0.maxItems = -1 } as GetOutageImpactRequest)
        }.contains("max_items"))
        XCTAssertTrue(message {
            try GatewayRequestValidation.validate(.with {
                $0.accountID = "ACC-1"
                $0.requestID = "r"
                $0.billingPeriod = .with {
                    $0.startDate = .with { $0.year = 2025; $0.month = 2; $0.day = 30 }
                    $0.endDate = .with { $0.year = 2025; $0.month = 3; $0.day = 1 }
                }
            } as BillAccountRequest)
        }.contains("billing_period.start_date is not a valid date"))
        XCTAssertTrue(message { try GatewayRequestValidation.validate(.with { $0.accountID = "ACC-1" } as BillAccountRequest) }
            .contains("billing_period"))
        XCTAssertTrue(message { try GatewayRequestValidation.validate(GetReliabilityReportRequest()) }.contains("period"))
    }
}

/// Counts concurrent entries (an actor: the test's tasks touch it from several threads).
private actor InFlightCounter {
    private var current = 0
    private(set) var peak = 0
    func enter() { current += 1; peak = max(peak, current) }
    func leave() { current -= 1 }
}
