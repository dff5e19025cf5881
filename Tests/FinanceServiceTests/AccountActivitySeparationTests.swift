import CustomerAPI
import CustomerDomain
import CustomerService
import FinanceAPI
import FinanceDomain
import FinanceService
import Foundation
import MeshAuth
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import ServiceTestSupport
import Transport
import XCTest

/// BatchGetAccountActivity with authentication on: finance-service and customer-service on
/// loopback ports, both verifying tokens of one development key pair; finance asks
/// customer-service (with its own token) whose each account is. A forbidden account is
/// PERMISSION_DENIED next to the allowed ones, with GetBalance's message, and audited.
final class AccountActivitySeparationTests: XCTestCase {
    private var directory = ""
    private var tokens: TestTokens!
    private var customerStore: SQLiteStore!
    private var customerServer: GRPCServer!
    private var customerChannel: GRPCChannel!
    private var harness: FinanceHarness!
    private var financeServer: GRPCServer!
    private var financeChannel: GRPCChannel!
    private var finance: FinanceServiceClient { FinanceServiceClient(channel: financeChannel) }

    private var regulatedAccount = "", nonRegulatedAccount = ""

    override func setUp() async throws {
        directory = NSTemporaryDirectory() + "finance-activity-auth-" + UUID().uuidString
        tokens = try TestTokens(directory: directory + "/keys")
        var authenticated = ServerConfiguration(host: "127.0.0.1", port: 0)
        authenticated.interceptors = [AuthInterceptor(verifier: try tokens.verifier())]

        customerStore = try await SQLiteStore.open(path: directory + "/customer.sqlite3", schema: CustomerSchema.schema)
        let customerOperations = CustomerOperations(store: customerStore, pages: PageTokenCodec(secret: Array("activity-customer-secret".utf8)))
        customerServer = GRPCServer(configuration: authenticated, services: [CustomerServiceImpl(operations: customerOperations)])
        try await customerServer.start()
        var peer = ChannelConfiguration()
        peer.interceptors = [BearerCredentials(token: try tokens.token(.corporate, ["customer.read"], subject: "finance-service"))]
        customerChannel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(customerServer.port))", configuration: peer)

        harness = try await FinanceHarness.make()
        let service = FinanceServiceImpl(operations: harness.operations, customers: CustomerDirectory(channel: customerChannel))
        financeServer = GRPCServer(configuration: authenticated, services: [service])
        try await financeServer.start()
        financeChannel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(financeServer.port))")

        // One premise; Rita's account is regulated, Noah's non-regulated; two transactions each.
        let admin = try options(.corporate, ["customer.write", "finance.post"])
        let customers = CustomerServiceClient(channel: customerChannel)
        let premise = try await customers.createPremise(.with {
            $0.premise = .with {
                $0.address = .with { $0.regionCode = "US"; $0.postalCode = "94105"; $0.locality = "SF"; $0.addressLines = ["9 Elm St"] }
                $0.serviceTypes = [.electric]
            }
        }, options: admin).premise!.premiseID
        for (name, scope) in [("Rita", RegulatoryScope.regulated), ("Noah", .nonRegulated)] {
            let customer = try await customers.createCustomer(
                .with { $0.customer = .with { $0.displayName = name; $0.kind = .residential } }, options: admin).customer!.customerID
            let account = try await customers.createCustomerAccount(.with {
                $0.account = .with { $0.customerID = customer; $0.premiseID = premise; $0.regulatoryScope = scope; $0.currencyCode = "USD" }
            }, options: admin).account!.accountID
            for (index, units) in [Int64(4_200), -1_000].enumerated() {
                var transaction = Fixtures.transaction(units > 0 ? .charge : .payment, units, account: account)
                transaction.regulatoryScope = scope
                _ = try await finance.postTransaction(.with { $0.transaction = transaction; $0.requestID = "\(name)-\(index)" }, options: admin)
            }
            if scope == .regulated { regulatedAccount = account } else { nonRegulatedAccount = account }
        }
    }

    override func tearDown() async throws {
        financeChannel?.close()
        customerChannel?.close()
        await financeServer?.shutdown(gracePeriod: .seconds(1))
        await customerServer?.shutdown(gracePeriod: .seconds(1))
        await harness?.close()
        await customerStore?.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func options(_ unit: BusinessUnitClaim, _ scopes: [String] = ["finance.read"], requestID: String = "") throws -> CallOptions {
        try tokens.options(unit, scopes, requestID: requestID)
    }

    private func batch(_ options: CallOptions) async throws -> [AccountActivity] {
        try await finance.batchGetAccountActivity(.with { $0.accountIDs = [nonRegulatedAccount, regulatedAccount] }, options: options).activities
    }

    /// `requestID`'s audit records as subject|decision|kind|resource.
    private func audit(_ requestID: String) async throws -> [String] {
        let records = try await finance.listAuditRecords(.with { $0.pageSize = 1000 }, options: try options(.corporate)).auditRecords
        return records.filter { $0.requestID == requestID }.map { [$0.subject, "\($0.decision)", $0.resourceKind, $0.resourceID].joined(separator: "|") }
    }

    func testAForbiddenAccountIsDeniedBesideTheAllowedOne() async throws {
        let regulated = try options(.regulated, requestID: "batch-regulated")
        let activities = try await batch(regulated)
        XCTAssertEqual(activities.map(\.accountID), [nonRegulatedAccount, regulatedAccount])

        // The other business's account: GetBalance's refusal, and nothing of its data.
        let single = await assertStatus(.permissionDenied) {
            try await self.finance.getBalance(.with { $0.accountID = self.nonRegulatedAccount }, options: try self.options(.regulated))
        }
        XCTAssertEqual(activities[0].statusCode, Int32(StatusCode.permissionDenied.rawValue))
        XCTAssertEqual(activities[0].statusMessage, single)
        XCTAssertNil(activities[0].balance)
        XCTAssertEqual(activities[0].recentTransactions, [])

        // Its own account: what the single calls answer the same caller.
        XCTAssertEqual(activities[1].statusCode, 0)
        XCTAssertEqual(activities[1].statusMessage, "")
        let balance = try await finance.getBalance(.with { $0.accountID = regulatedAccount }, options: regulated).balance
        XCTAssertEqual(activities[1].balance?.amount, balance?.amount)
        XCTAssertEqual(activities[1].balance?.transactionCount, 2)
        let recent = try await finance.listTransactions(.with { $0.accountID = regulatedAccount; $0.orderBy = "effective_time desc" }, options: regulated)
        XCTAssertEqual(activities[1].recentTransactions, recent.transactions)

        // A corporate caller reads both, audited as GetBalance and ListTransactions audit.
        let corporate = try await batch(try options(.corporate, requestID: "batch-corporate"))
        XCTAssertEqual(corporate.map(\.statusCode), [0, 0])
        XCTAssertEqual(corporate.map { $0.recentTransactions.count }, [2, 2])

        let r = "regulated-app", c = "corporate-app"
        try await XCTAssertEqualAsync(try await audit("batch-regulated"), ["\(r)|denied|Balance|\(nonRegulatedAccount)"])
        try await XCTAssertEqualAsync(try await audit("batch-corporate"), [
            "\(c)|allowedByCorporateRole|Balance|\(nonRegulatedAccount)",
            "\(c)|allowedByCorporateRole|FinancialTransaction|\(nonRegulatedAccount)",
            "\(c)|allowedByCorporateRole|Balance|\(regulatedAccount)",
            "\(c)|allowedByCorporateRole|FinancialTransaction|\(regulatedAccount)",
        ])
    }

    func testTheBatchNeedsTheReadScopeOfTheSingleCalls() async throws {
        await assertStatus(.permissionDenied, "needs scope 'finance.read'") { try await self.batch(try self.options(.corporate, ["customer.read"])) }
        let allowed = try await batch(try options(.corporate, ["finance.read"]))
        XCTAssertEqual(allowed.count, 2)
    }
}
