import CustomerAPI
import CustomerDomain
import CustomerService
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import ServiceTestSupport
import XCTest

/// GetCustomerSummary over a real loopback socket: it must answer exactly what the five
/// separate calls (GetCustomer, ListCustomerAccounts, ListPremises, ListServiceAgreements,
/// ListInteractions) answer, and its page tokens must continue those List calls.
final class SummaryOverSocketsTests: XCTestCase {
    private var service: LoopbackService!
    private var operations: CustomerOperations!
    private var client: CustomerServiceClient { CustomerServiceClient(channel: service.channel) }

    /// Page tokens carry their issue second: a fixed clock makes the summary's tokens and the
    /// separate calls' tokens comparable byte for byte.
    private static let pageTokens = PageTokenCodec(
        secret: Array("summary-tests-page-token-secret".utf8), now: { Date(timeIntervalSince1970: 1_764_000_000) })

    override func setUp() async throws {
        service = try await LoopbackService(name: "customer", schema: CustomerSchema.schema) { store in
            [CustomerServiceImpl(operations: CustomerOperations(store: store, pages: Self.pageTokens))]
        }
        operations = CustomerOperations(store: service.store, pages: Self.pageTokens)
    }

    override func tearDown() async throws {
        await service.stop()
    }

    /// A customer with accounts at two premises (regulated and not), agreements on them and
    /// `interactions` interactions; plus a neighbour whose records must not appear.
    private func seedCustomer(interactions: Int) async throws -> String {
        let customer = try await client.createCustomer(.with { $0.customer = Fixtures.customer() }).customer!.customerID
        let neighbour = try await client.createCustomer(.with { $0.customer = Fixtures.customer("Bo", email: "bo@example.com") }).customer!.customerID
        let home = try await client.createPremise(.with { $0.premise = Fixtures.premise() }).premise!.premiseID
        let cabin = try await client.createPremise(.with { $0.premise = Fixtures.premise(postalCode: "96150") }).premise!.premiseID
        let power = try await client.createProduct(.with { $0.product = Fixtures.product(.regulated, name: "E-1") }).product!.productID
        let charger = try await client.createProduct(.with { $0.product = Fixtures.product(.nonRegulated, name: "Charger") }).product!.productID
        for (owner, premise, scope, product) in [
            (customer, home, RegulatoryScope.regulated, power), (customer, cabin, .regulated, power),
            (customer, home, .nonRegulated, charger), (neighbour, cabin, .regulated, power),
        ] {
            let account = try await client.createCustomerAccount(.with {
                $0.account = .with { $0.customerID = owner; $0.premiseID = premise; $0.regulatoryScope = scope; $0.currencyCode = "USD" }
            }).account!.accountID
            _ = try await client.createServiceAgreement(.with {
                $0.agreement = .with { $0.accountID = account; $0.productID = product; $0.startDate = Fixtures.anyDate }
            })
        }
        for (owner, count) in [(customer, interactions), (neighbour, 2)] {
            for index in 0..<count {
                _ = try await client.createInteraction(.with {
                    $0.interaction = .with {
                        $0.customerID = owner
                        $0.channel = index.isMultiple(of: 2) ? .call : .digital
                        $0.interactionTime = Timestamp(seconds: 1_750_000_000 + Int64(index) * 3600)
                        $0.topic = "topic \(index)"
                    }
                })
            }
        }
        return customer
    }

    private func summary(_ customerID: String, interactionLimit: Int32 = 0) async throws -> GetCustomerSummaryResponse {
        try await client.getCustomerSummary(.with { $0.customerID = customerID; $0.interactionLimit = interactionLimit })
    }

    func testTheSummaryIsWhatTheFiveSeparateCallsAnswer() async throws {
        let customerID = try await seedCustomer(interactions: 12)
        let summary = try await summary(customerID)

        try await assertEqualAsync(try await client.getCustomer(.with { $0.customerID = customerID }).customer, summary.customer)
        try await assertEqualAsync(
            try await client.listCustomerAccounts(.with { $0.customerID = customerID; $0.pageSize = 1000 }), try XCTUnwrap(summary.accounts))
        try await assertEqualAsync(
            try await client.listPremises(.with { $0.customerID = customerID; $0.pageSize = 1000 }), try XCTUnwrap(summary.premises))
        try await assertEqualAsync(
            try await client.listServiceAgreements(.with { $0.customerID = customerID; $0.pageSize = 1000 }), try XCTUnwrap(summary.agreements))
        try await assertEqualAsync(
            try await client.listInteractions(.with { $0.customerID = customerID; $0.pageSize = 10 }), try XCTUnwrap(summary.recentInteractions))
        let productIDs = summary.agreements?.agreements.map(\.productID) ?? []
        try await assertEqualAsync(
            try await client.batchGetProducts(.with { $0.productIDs = productIDs }).products, summary.agreementProducts)
        XCTAssertEqual(summary.agreementProducts.map(\.displayName).sorted(), ["Charger", "E-1"], "each product once")

        // …and the equal answers are the seeded ones, not two empty ones.
        XCTAssertEqual(summary.customer?.displayName, "Ana Silva")
        XCTAssertEqual(summary.accounts?.accounts.count, 3)
        XCTAssertEqual(summary.premises?.premises.count, 2)
        XCTAssertEqual(summary.agreements?.agreements.count, 3)
        XCTAssertEqual(summary.accounts?.nextPageToken, "")
        let recent = try XCTUnwrap(summary.recentInteractions)
        XCTAssertEqual(recent.interactions.map(\.topic), (2..<12).reversed().map { "topic \($0)" }, "the newest 10 by default")
        XCTAssertFalse(recent.nextPageToken.isEmpty)
        XCTAssertTrue(recent.interactions.allSatisfy { $0.customerID == customerID })
    }

    func testTheInteractionLimitSetsThePageAndItsTokenContinuesListInteractions() async throws {
        let customerID = try await seedCustomer(interactions: 5)
        let twoNewest = try await summary(customerID, interactionLimit: 2)
        let two = try XCTUnwrap(twoNewest.recentInteractions)
        XCTAssertEqual(two.interactions.map(\.topic), ["topic 4", "topic 3"])
        let rest = try await client.listInteractions(.with { $0.customerID = customerID; $0.pageSize = 2; $0.pageToken = two.nextPageToken })
        XCTAssertEqual(rest.interactions.map(\.topic), ["topic 2", "topic 1"])
        let capped = try await summary(customerID, interactionLimit: 5000)
        let all = try XCTUnwrap(capped.recentInteractions)
        XCTAssertEqual(all.interactions.count, 5, "above 1000 is coerced, not refused")
        XCTAssertEqual(all.nextPageToken, "")
        await assertStatus(.invalidArgument, "interaction_limit") { try await self.summary(customerID, interactionLimit: -1) }
    }

    func testAListLongerThanOnePageContinuesWithTheSummarysToken() async throws {
        let customer = try await operations.createCustomer(.with { $0.customer = Fixtures.customer() }).customer!.customerID
        let premise = try await operations.createPremise(.with { $0.premise = Fixtures.premise() }).premise!.premiseID
        var created: [String] = []
        for _ in 0..<1001 {
            created.append(try await operations.createCustomerAccount(.with {
                $0.account = .with { $0.customerID = customer; $0.premiseID = premise; $0.regulatoryScope = .regulated }
            }).account!.accountID)
        }
        let firstPage = try await summary(customer)
        let first = try XCTUnwrap(firstPage.accounts)
        XCTAssertEqual(first.accounts.map(\.accountID), Array(created.prefix(1000)), "ids are creation-ordered")
        let next = try await client.listCustomerAccounts(.with { $0.customerID = customer; $0.pageSize = 1000; $0.pageToken = first.nextPageToken })
        XCTAssertEqual(next.accounts.map(\.accountID), [created[1000]])
        XCTAssertEqual(next.nextPageToken, "")
        // The token belongs to ListCustomerAccounts for this customer, nothing else.
        await assertStatus(.invalidArgument, "page_token") {
            try await self.client.listPremises(.with { $0.customerID = customer; $0.pageToken = first.nextPageToken })
        }
    }

    func testAnUnknownCustomerIsNotFoundAndAMalformedIdIsInvalid() async throws {
        let missing = Fixtures.missingID("CUS")
        let notFound = await assertStatus(.notFound, missing) { try await self.summary(missing) }
        let getNotFound = await assertStatus(.notFound) { try await self.client.getCustomer(.with { $0.customerID = missing }) }
        XCTAssertEqual(notFound, getNotFound, "the same answer as GetCustomer")
        for malformed in ["", "ACC-" + String(repeating: "0", count: 26), "CUS-nope"] {
            let summaryMessage = await assertStatus(.invalidArgument, "customer_id") { try await self.summary(malformed) }
            let getMessage = await assertStatus(.invalidArgument) { try await self.client.getCustomer(.with { $0.customerID = malformed }) }
            XCTAssertEqual(summaryMessage, getMessage)
        }
    }
}
