import CustomerAPI
import GatewayAPI
import RPCCore
import Transport
import XCTest

/// GetCustomerOverview for a customer whose lists are longer than what one call returns, with
/// the six real processes on their own (the data would change the shared seeded mesh's counts).
final class LongListsOverviewTests: XCTestCase {
    /// A customer with more accounts and premises than GetCustomerSummary's first page (1,000):
    /// the gateway follows the lists to their end, and the second hop's batch calls are split
    /// into chunks the services accept.
    func testListsLongerThanTheSummarysFirstPageAreFollowed() async throws {
        let mesh = TestMesh()
        try mesh.start()
        defer { mesh.stopAll() }
        let customerChannel = try GRPCChannel(target: "127.0.0.1:\(mesh.port(of: .customer))")
        defer { customerChannel.close() }
        let gatewayChannel = try GRPCChannel(target: "127.0.0.1:\(mesh.gatewayPort)")
        defer { gatewayChannel.close() }
        let gateway = GatewayServiceClient(channel: gatewayChannel)
        let customers = CustomerServiceClient(channel: customerChannel)
        let customerID = try await customers.createCustomer(.with {
            $0.customer = .with {
                $0.kind = .residential
                $0.displayName = "Many Premises"
            }
        }).customer?.customerID ?? ""
        let count = 1001
        // Each account at its own premise: both lists are one longer than the first page.
        let created = try await withThrowingTaskGroup(of: (String, String).self) { group in
            var created: [(String, String)] = []
            for index in 0..<count {
                if index >= 8, let next = try await group.next() { created.append(next) }
                group.addTask {
                    let premiseID = try await customers.createPremise(.with {
                        $0.premise = .with {
                            $0.displayName = "Unit \(index)"
                            $0.address = .with {
                                $0.regionCode = "US"
                                $0.postalCode = "94105"
                                $0.administrativeArea = "CA"
                                $0.locality = "San Francisco"
                                $0.addressLines = ["\(index) Long St"]
                            }
                            $0.serviceTypes = [.electric]
                            $0.timeZone = "UTC"
                        }
                    }).premise?.premiseID ?? ""
                    let accountID = try await customers.createCustomerAccount(.with {
                        $0.account = .with {
                            $0.customerID = customerID
                            $0.premiseID = premiseID
                            $0.regulatoryScope = .regulated
                            $0.displayName = "Account \(index)"
                            $0.currencyCode = "USD"
                        }
                    }).account?.accountID ?? ""
                    return (accountID, premiseID)
                }
            }
            for try await next in group { created.append(next) }
            return created
        }
        let overview = try await gateway.getCustomerOverview(.with { $0.customerID = customerID }, options: .timeout(.seconds(60))).overview
            ?? CustomerOverview()
        XCTAssertEqual(overview.accountsStatus?.state, .ok)
        XCTAssertEqual(overview.premisesStatus?.state, .ok)
        XCTAssertEqual(overview.accounts.count, count)
        XCTAssertEqual(Set(overview.accounts.compactMap { $0.account?.accountID }), Set(created.map(\.0)))
        XCTAssertEqual(overview.premises.count, count)
        XCTAssertEqual(Set(overview.premises.compactMap { $0.premise?.premiseID }), Set(created.map(\.1)))
        // The second hop answered for every account and premise, past the first 1,000 too.
        XCTAssertTrue(overview.accounts.allSatisfy { $0.balanceStatus?.state == .ok }, "a balance section is not OK")
        XCTAssertTrue(overview.premises.allSatisfy { $0.meterPointsStatus?.state == .ok && $0.outagesStatus?.state == .ok },
                      "a premise section is not OK")
    }
}
