import CustomerAPI
import Foundation
import MeshAuth
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// GetCustomerSummary behind the auth interceptor: for every kind of caller, each part of the
/// summary is withheld, filtered, counted and audited exactly as the five separate calls
/// (GetCustomer, ListCustomerAccounts, ListPremises, ListServiceAgreements, ListInteractions)
/// would do it, and it needs the same scope as GetCustomer.
final class CustomerSummarySeparationTests: XCTestCase {
    private var service: AuthenticatedCustomerServer!
    private var client: CustomerServiceClient { service.client }
    private let allScopes = ["customer.read", "customer.write"]

    override func setUp() async throws {
        service = try await AuthenticatedCustomerServer.start()
    }

    override func tearDown() async throws {
        await service.stop()
    }

    private func options(_ unit: BusinessUnitClaim, subject: String? = nil) throws -> CallOptions {
        bearer(try service.tokens.token(unit, scopes: allScopes, subject: subject ?? unit.rawValue + "-app"))
    }

    /// A customer with an account, an agreement and an interaction on each of `scopes`' sides.
    private func seedCustomer(_ name: String, scopes: [RegulatoryScope], admin: CallOptions) async throws -> String {
        let customer = try await client.createCustomer(.with {
            $0.customer = .with {
                $0.displayName = name
                $0.kind = .residential
                $0.contact = .with { $0.emails = [.with { $0.address = "\(name.lowercased())@example.com" }] }
            }
        }, options: admin).customer!.customerID
        for (index, scope) in scopes.enumerated() {
            let premise = try await client.createPremise(.with {
                $0.premise = .with {
                    $0.address = .with { $0.regionCode = "US"; $0.postalCode = "9410\(index)"; $0.locality = "SF"; $0.addressLines = ["\(index) Main St"] }
                    $0.serviceTypes = [.electric]
                }
            }, options: admin).premise!.premiseID
            let account = try await client.createCustomerAccount(.with {
                $0.account = .with { $0.customerID = customer; $0.premiseID = premise; $0.regulatoryScope = scope; $0.currencyCode = "USD" }
            }, options: admin).account!.accountID
            let product = try await client.createProduct(.with {
                $0.product = .with { $0.displayName = "P"; $0.regulatoryScope = scope; $0.category = scope == .regulated ? .utilityService : .evCharger }
            }, options: admin).product!.productID
            _ = try await client.createServiceAgreement(.with {
                $0.agreement = .with { $0.accountID = account; $0.productID = product; $0.startDate = .with { $0.year = 2025; $0.month = 1; $0.day = 1 } }
            }, options: admin)
            _ = try await client.createInteraction(.with {
                $0.interaction = .with {
                    $0.customerID = customer
                    $0.channel = .call
                    $0.interactionTime = Timestamp(seconds: 1_750_000_000 + Int64(index))
                    $0.topic = "topic \(index)"
                    $0.businessUnit = scope == .regulated ? .regulated : .nonRegulated
                }
            }, options: admin)
        }
        return customer
    }

    /// The audit records written since `skipping` records, without what names the call
    /// (method, request, time): (subject, decision, kind, resource, customer, rule, consent, filtered).
    private func auditRecords(after skipping: Int) async throws -> [String] {
        let records = try await client.listAuditRecords(.with { $0.pageSize = 1000 }, options: try options(.corporate, subject: "auditor"))
            .auditRecords
        return records.dropFirst(skipping).map { record in
            [record.subject, "\(record.decision)", record.resourceKind, record.resourceID, record.customerID, record.rule,
             record.consentID, "\(record.filteredCount)"].joined(separator: "|")
        }
    }

    private func auditCount() async throws -> Int {
        try await auditRecords(after: 0).count
    }

    func testEveryCallerSeesInTheSummaryWhatTheSeparateCallsShowAndLeavesTheSameAuditTrail() async throws {
        let admin = try options(.corporate, subject: "seeder")
        let regulatedOnly = try await seedCustomer("Rita", scopes: [.regulated], admin: admin)
        let both = try await seedCustomer("Mia", scopes: [.regulated, .nonRegulated], admin: admin)
        let bridged = try await seedCustomer("Cleo", scopes: [.regulated], admin: admin)
        _ = try await client.grantConsent(.with {
            $0.consent = .with { $0.customerID = bridged; $0.recipientBusinessUnit = .nonRegulated; $0.scopes = [.accountAndBilling] }
        }, options: admin)

        var withheldSomething = false
        for unit in [BusinessUnitClaim.regulated, .nonRegulated, .corporate] {
            for customerID in [regulatedOnly, both, bridged] {
                let caller = try options(unit)
                let before = try await auditCount()
                let summary = try await client.getCustomerSummary(.with { $0.customerID = customerID }, options: caller)
                let summaryTrail = try await auditRecords(after: before)

                let between = try await auditCount()
                let customer = try await client.getCustomer(.with { $0.customerID = customerID }, options: caller).customer
                let accounts = try await client.listCustomerAccounts(.with { $0.customerID = customerID; $0.pageSize = 1000 }, options: caller)
                let premises = try await client.listPremises(.with { $0.customerID = customerID; $0.pageSize = 1000 }, options: caller)
                let agreements = try await client.listServiceAgreements(.with { $0.customerID = customerID; $0.pageSize = 1000 }, options: caller)
                let interactions = try await client.listInteractions(.with { $0.customerID = customerID; $0.pageSize = 10 }, options: caller)
                let separateTrail = try await auditRecords(after: between)

                let context = "\(unit) reading \(customerID)"
                XCTAssertEqual(summary.customer, customer, context)
                XCTAssertEqual(summary.accounts, accounts, context)
                XCTAssertEqual(summary.premises, premises, context)
                XCTAssertEqual(summary.agreements, agreements, context)
                XCTAssertEqual(summary.recentInteractions, interactions, context)
                XCTAssertEqual(summaryTrail, separateTrail, context)
                if customer?.contactWithheld == true || accounts.withheldCount > 0 || interactions.withheldCount > 0 {
                    withheldSomething = true
                }
            }
        }
        XCTAssertTrue(withheldSomething, "the seed must make the policy withhold something")

        // The cases that matter, spelled out: the non-regulated business reading the regulated-only customer.
        let other = try await client.getCustomerSummary(.with { $0.customerID = regulatedOnly }, options: try options(.nonRegulated))
        XCTAssertEqual(other.customer?.contactWithheld, true)
        XCTAssertNil(other.customer?.contact)
        XCTAssertEqual(other.customer?.displayName, "Rita")
        XCTAssertEqual(other.accounts?.accounts, [])
        XCTAssertEqual(other.accounts?.withheldCount, 1)
        XCTAssertEqual(other.accounts?.withheldRule, "affiliate.regulated-data")
        XCTAssertEqual(other.agreements?.withheldCount, 1)
        XCTAssertEqual(other.recentInteractions?.withheldCount, 1)
        XCTAssertEqual(other.premises?.premises.count, 1, "premises carry no regulatory scope")
        let consented = try await client.getCustomerSummary(.with { $0.customerID = bridged }, options: try options(.nonRegulated))
        XCTAssertEqual(consented.accounts?.accounts.count, 1, "the consent bridges accounts")
        XCTAssertEqual(consented.accounts?.withheldCount, 0)
        XCTAssertEqual(consented.customer?.contactWithheld, true, "but not contact details")
    }

    func testTheSummaryNeedsTheReadScopeLikeGetCustomer() async throws {
        XCTAssertEqual(
            MethodScopes().scope(for: MethodDescriptor(service: "quantum.customer.v1.CustomerService", method: "GetCustomerSummary", kind: .unary)),
            "customer.read")
        let admin = try options(.corporate, subject: "seeder")
        let customerID = try await seedCustomer("Rita", scopes: [.regulated], admin: admin)
        let reader = bearer(try service.tokens.token(.regulated, scopes: ["customer.read"]))
        let summary = try await client.getCustomerSummary(.with { $0.customerID = customerID }, options: reader)
        XCTAssertEqual(summary.accounts?.accounts.count, 1)
        await XCTAssertStatus(.permissionDenied, "needs scope 'customer.read'") {
            _ = try await self.client.getCustomerSummary(
                .with { $0.customerID = customerID }, options: bearer(try self.service.tokens.token(.regulated, scopes: ["customer.write"])))
        }
    }
}
