import AssetAPI
import CustomerAPI
import FinanceAPI
import MeteringAPI
import OutageAPI
import QuantumTypes

/// The whole demo data set as plain values, before anything is sent. Resources refer to each
/// other by their index in these arrays; the loader turns indices into the ids the services
/// assign. Interval readings are described (``ReadingProfile``), not listed: they are the bulk
/// and are generated one meter-day at a time while loading.
public struct DemoPlan: Sendable, Hashable {
    public var parameters: DemoParameters
    public var tariffs: [Tariff] = []
    public var products: [PlannedProduct] = []
    public var assets: [PlannedAsset] = []
    public var customers: [Customer] = []
    public var premises: [PlannedPremise] = []
    public var accounts: [PlannedAccount] = []
    public var agreements: [PlannedAgreement] = []
    public var consents: [PlannedConsent] = []
    public var meterPoints: [PlannedMeterPoint] = []
    public var crews: [Crew] = []
    public var outages: [PlannedOutage] = []
    public var workOrders: [PlannedWorkOrder] = []
    public var bills: [PlannedBill] = []
    public var transactions: [PlannedTransaction] = []
    /// Indices of the resources the tour starts from.
    public var tour = TourIndices()

    public init(parameters: DemoParameters) { self.parameters = parameters }
}

/// A product; regulated ones are priced by a tariff of the plan.
public struct PlannedProduct: Sendable, Hashable {
    public var product: Product
    public var tariff: Int?
}

/// A grid or customer-sited asset. Its parent is set after creation (SetParent); premise-bound
/// assets (meters, customer-sited devices) name their premise and, for devices, the agreement.
public struct PlannedAsset: Sendable, Hashable {
    public var asset: Asset
    public var parent: Int?
    public var premise: Int?
    public var agreement: Int?
    public var product: Int?
}

/// A premise, fed through a service-point asset.
public struct PlannedPremise: Sendable, Hashable {
    public var premise: Premise
    public var customer: Int
    public var servicePoint: Int
    public var transformer: Int
}

public struct PlannedAccount: Sendable, Hashable {
    public var account: CustomerAccount
    public var customer: Int
    public var premise: Int
}

public struct PlannedAgreement: Sendable, Hashable {
    public var agreement: ServiceAgreement
    public var account: Int
    public var product: Int
}

public struct PlannedConsent: Sendable, Hashable {
    public var consent: Consent
    public var customer: Int
}

/// A meter point on a meter asset, and how its interval data looks.
public struct PlannedMeterPoint: Sendable, Hashable {
    public var meterPoint: MeterPoint
    public var premise: Int
    public var meterAsset: Int
    public var profile: ReadingProfile
}

/// An outage on a grid asset; `endTime` nil means it is still open.
public struct PlannedOutage: Sendable, Hashable {
    public var outage: OutageEvent
    public var faultAsset: Int
    public var affectedPremises: [Int]
    public var confirmed: Bool
    public var endSeconds: Int64?
}

/// A work order and how far along it is: assigned to `crew`, then walked through `transitions`.
public struct PlannedWorkOrder: Sendable, Hashable {
    public var workOrder: WorkOrder
    public var asset: Int
    public var outage: Int?
    public var crew: Int?
    public var transitions: [WorkOrderStatus]
}

/// A bill for a regulated account over whole local days of the reading window; its usage is
/// the hourly sum of the meter point's delivered readings.
public struct PlannedBill: Sendable, Hashable {
    public var account: Int
    public var tariff: Int
    public var meterPoint: Int
    public var firstDay: CalendarDate
    public var lastDay: CalendarDate
}

/// A ledger entry (payments on regulated accounts, subscription charges on non-regulated ones).
public struct PlannedTransaction: Sendable, Hashable {
    public var transaction: FinancialTransaction
    public var account: Int
}

public struct TourIndices: Sendable, Hashable {
    public var customer = 0
    public var commercialCustomer = 0
    public var premise = 0
    public var account = 0
    public var meterPoint = 0
    public var openOutage = 0
}
