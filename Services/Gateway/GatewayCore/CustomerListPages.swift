import CustomerAPI
import RPCCore

/// customer-service's per-customer lists whose first page GetCustomerSummary carries
/// (accounts, agreements, premises), seen alike: the overview follows any of them to its end
/// with one function (`FanOut.wholeList`).
protocol CustomerListRequest: Sendable {
    init()
    var customerID: String { get set }
    var pageSize: Int32 { get set }
    var pageToken: String { get set }
}

protocol CustomerListPage: Sendable {
    associatedtype Item: Sendable
    init()
    var pageItems: [Item] { get }
    var nextPageToken: String { get }
    /// What the separation policy left out of this page (lists that never withhold: 0, "").
    var pageWithheld: (count: Int32, rule: String) { get }
}

extension CustomerListPage {
    /// The page as `Paging.continuing` takes it.
    var asPage: (items: [Item], next: String, withheldCount: Int32, withheldRule: String) {
        (pageItems, nextPageToken, pageWithheld.count, pageWithheld.rule)
    }
}

extension ListCustomerAccountsRequest: CustomerListRequest {}
extension ListServiceAgreementsRequest: CustomerListRequest {}
extension ListPremisesRequest: CustomerListRequest {}

extension ListCustomerAccountsResponse: CustomerListPage {
    var pageItems: [CustomerAccount] { accounts }
    var pageWithheld: (count: Int32, rule: String) { (withheldCount, withheldRule) }
}

extension ListServiceAgreementsResponse: CustomerListPage {
    var pageItems: [ServiceAgreement] { agreements }
    var pageWithheld: (count: Int32, rule: String) { (withheldCount, withheldRule) }
}

extension ListPremisesResponse: CustomerListPage {
    var pageItems: [Premise] { premises }
    var pageWithheld: (count: Int32, rule: String) { (0, "") }
}
