import CustomerAPI
import FinanceAPI
import FinanceDomain
import FinanceService
import Foundation
import MeshAuth
import QuantumTypes
import RPCCore
import ServiceKit
import ServiceTestSupport
import Transport
import XCTest

/// finance-service and customer-service, both requiring tokens, on loopback ports: finance asks
/// customer-service (with its own service token) whose an account is and which consents the
/// customer gave, on every call.
final class FinanceSeparationOverSocketsTests: XCTestCase {
    private var customers: AuthenticatedCustomerServer!
    private var directory: ScratchDirectory!
    private var store: SQLiteStore!
    private var financeServer: GRPCServer!
    private var financeChannel: GRPCChannel!
    private var peerChannel: GRPCChannel!
    private var finance: FinanceServiceClient { FinanceServiceClient(channel: financeChannel) }

    private var customerID = "", accountID = "", charge = ""

    override func setUp() async throws {
        customers = try await AuthenticatedCustomerServer.start()
        let tokens = customers.tokens

        // finance-service: its own store, the same verifying key, customer-service as its peer.
        directory = try ScratchDirectory()
        store = try await SQLiteStore.open(path: directory.path + "/finance.sqlite3", schema: FinanceSchema.schema)
        var peer = ChannelConfiguration()
        peer.interceptors = [BearerCredentials(token: try tokens.token(.corporate, scopes: ["customer.read"], subject: "finance-service"))]
        peerChannel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(customers.server.port))", configuration: peer)
        let operations = FinanceOperations(store: store, pages: PageTokenCodec(secret: Array("auth-tests-finance-page-secret".utf8)))
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.interceptors = [AuthInterceptor(verifier: tokens.verifier())]
        financeServer = GRPCServer(
            configuration: configuration,
            services: [FinanceServiceImpl(operations: operations, customers: CustomerDirectory(channel: peerChannel))])
        try await financeServer.start()
        financeChannel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(financeServer.port))")

        // A regulated account with two transactions.
        let admin = bearer(try tokens.token(.corporate, scopes: ["customer.write", "finance.post"], subject: "seeder"))
        (_, customerID, accountID) = try await customers.seedRegulatedCustomer(admin: admin)
        for (index, units) in [Int64(5_000), -2_000].enumerated() {
            let posted = try await finance.postTransaction(.with {
                $0.transaction = .with {
                    $0.accountID = accountID
                    $0.transactionType = units > 0 ? .charge : .payment
                    $0.amount = .with { $0.currencyCode = "USD"; $0.minorUnits = units }
                    $0.regulatoryScope = .regulated
                }
                $0.requestID = "seed-\(index)"
            }, options: admin).transaction!
            if index == 0 { charge = posted.transactionID }
        }
    }

    override func tearDown() async throws {
        financeChannel.close()
        peerChannel.close()
        await financeServer.shutdown(gracePeriod: .seconds(1))
        await store.close()
        directory.remove()
        await customers.stop()
    }

    private func caller(_ unit: BusinessUnitClaim, requestID: String? = nil) throws -> CallOptions {
        bearer(try customers.tokens.token(unit, scopes: ["finance.read"], subject: unit.rawValue + "-app"), requestID: requestID)
    }

    private func financeAudit() async throws -> [String] {
        let records = try await finance.listAuditRecords(.with { $0.pageSize = 1000 }, options: try caller(.corporate)).auditRecords
        return records.map { [$0.subject, "\($0.decision)", $0.resourceKind, $0.resourceID, $0.customerID, $0.rule, $0.consentID, "\($0.filteredCount)", $0.requestID].joined(separator: "|") }
    }

    func testRegulatedAccountDataAcrossTheBoundary() async throws {
        // The regulated business reads its own account: nothing to audit.
        let own = try caller(.regulated)
        _ = try await finance.getTransaction(.with { $0.transactionID = charge }, options: own)
        let ownList = try await finance.listTransactions(.with { $0.accountID = accountID }, options: own)
        XCTAssertEqual(ownList.transactions.count, 2)
        _ = try await finance.getBalance(.with { $0.accountID = accountID }, options: own)

        // The non-regulated business: refused, list filtered.
        let other = try caller(.nonRegulated, requestID: "r-1")
        let denial = SeparationPolicy.deniedMessage(
            rule: "affiliate.regulated-data", caller: Caller(subject: "", businessUnit: .nonRegulated, scopes: []), data: .accountAndBilling)
        await XCTAssertStatus(.permissionDenied, denial) {
            _ = try await self.finance.getTransaction(.with { $0.transactionID = self.charge }, options: other)
        }
        await XCTAssertStatus(.permissionDenied, "affiliate.regulated-data") {
            _ = try await self.finance.getBalance(.with { $0.accountID = self.accountID }, options: other)
        }
        let filtered = try await finance.listTransactions(.with { $0.accountID = accountID }, options: other)
        XCTAssertEqual(filtered.transactions, [])

        // A consent covering account and billing data bridges; revoking it ends that on the next call.
        let admin = bearer(try customers.tokens.token(.corporate, scopes: ["customer.write"], subject: "seeder"))
        let consent = try await customers.client.grantConsent(.with {
            $0.consent = .with { $0.customerID = customerID; $0.recipientBusinessUnit = .nonRegulated; $0.scopes = [.accountAndBilling] }
        }, options: admin).consent!.consentID
        let bridged = try await finance.getTransaction(.with { $0.transactionID = charge }, options: other).transaction
        XCTAssertEqual(bridged?.transactionID, charge)
        let bridgedList = try await finance.listTransactions(.with { $0.accountID = accountID }, options: other)
        XCTAssertEqual(bridgedList.transactions.count, 2)
        _ = try await customers.client.revokeConsent(.with { $0.consentID = consent }, options: admin)
        await XCTAssertStatus(.permissionDenied, "affiliate.regulated-data") {
            _ = try await self.finance.getTransaction(.with { $0.transactionID = self.charge }, options: other)
        }

        // Corporate reads, audited.
        _ = try await finance.getBalance(.with { $0.accountID = accountID }, options: try caller(.corporate))

        let n = "non_regulated-app", reg = "affiliate.regulated-data"
        let trail = try await financeAudit()
        XCTAssertEqual(trail, [
            [n, "denied", "FinancialTransaction", charge, customerID, reg, "", "0", "r-1"],
            [n, "denied", "Balance", accountID, customerID, reg, "", "0", "r-1"],
            [n, "filtered", "FinancialTransaction", "", customerID, reg, "", "2", "r-1"],
            [n, "allowedByConsent", "FinancialTransaction", charge, customerID, reg, consent, "0", "r-1"],
            [n, "allowedByConsent", "FinancialTransaction", accountID, customerID, reg, consent, "0", "r-1"],
            [n, "denied", "FinancialTransaction", charge, customerID, reg, "", "0", "r-1"],
            ["corporate-app", "allowedByCorporateRole", "Balance", accountID, customerID, reg, "", "0", ""],
        ].map { $0.joined(separator: "|") })

        await XCTAssertStatus(.permissionDenied, "audit.corporate-only") {
            _ = try await self.finance.listAuditRecords(.with { $0.pageSize = 1 }, options: try self.caller(.regulated))
        }
    }
}
