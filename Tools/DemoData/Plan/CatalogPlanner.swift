import CustomerAPI
import FinanceAPI
import QuantumTypes

/// The utility's price book: three regulated electric tariffs (tiered, time-of-use, flat) with
/// their products, and the non-regulated offerings. Fixed content: it does not depend on the seed.
enum CatalogPlanner {
    enum TariffIndex { static let tiered = 0, timeOfUse = 1, flat = 2 }
    enum ProductIndex {
        static let residentialTiered = 0, residentialTimeOfUse = 1, smallBusiness = 2
        static let evCharger = 3, rooftopSolar = 4, smartHome = 5
    }

    static func tariffs() -> [Tariff] {
        [
            tariff("E-1 Residential Tiered", approval: "CPUC D.24-12-015", fixedCents: 1_000) {
                $0.energyCharge = .tieredRate(.with {
                    $0.tiers = [
                        tier(fromKWh: 0, toKWh: 300, cents: 28),
                        tier(fromKWh: 300, toKWh: 600, cents: 35),
                        tier(fromKWh: 600, toKWh: nil, cents: 42),
                    ]
                })
            },
            tariff("E-TOU-C Residential Time-of-Use", approval: "CPUC D.24-12-016", fixedCents: 1_000) {
                let weekdays: [DayOfWeek] = [.monday, .tuesday, .wednesday, .thursday, .friday]
                $0.energyCharge = .timeOfUseRate(.with {
                    $0.periods = [
                        period("off-peak-night", weekdays, 0, 16, cents: 25),
                        period("peak", weekdays, 16, 21, cents: 45),
                        period("off-peak-evening", weekdays, 21, 24, cents: 25),
                        period("weekend", [.saturday, .sunday], 0, 24, cents: 22),
                    ]
                })
            },
            tariff("A-1 Small General Service", approval: "CPUC D.24-12-020", fixedCents: 2_500) {
                $0.energyCharge = .flatRate(.with { $0.price = price(cents: 24) })
            },
        ]
    }

    static func products() -> [PlannedProduct] {
        [
            utility("Residential Electric E-1", "Tiered residential electric service.", tariff: TariffIndex.tiered),
            utility("Residential Electric E-TOU-C", "Time-of-use residential electric service; cheaper off-peak.", tariff: TariffIndex.timeOfUse),
            utility("Small Business Electric A-1", "Flat-rate electric service for small commercial customers.", tariff: TariffIndex.flat),
            offering("Level 2 Home EV Charger", .evCharger, .subscription, cents: 2_999, terms: "36 months, installation included",
                     features: ["11.5 kW Level 2 charging", "Off-peak charging schedule", "App control"]),
            offering("Rooftop Solar Lease", .rooftopSolar, .financed, cents: 8_900, terms: "20-year lease, production guarantee",
                     features: ["6 kW array", "Net metering export", "Monitoring and maintenance"]),
            offering("Smart Home Energy Hub", .smartHome, .oneTime, cents: 24_900, terms: "One-time purchase, 2-year warranty",
                     features: ["Smart thermostat", "Load insights", "Demand-response ready"]),
        ]
    }

    private static func tariff(_ name: String, approval: String, fixedCents: Int64, _ energy: (inout Tariff) -> Void) -> Tariff {
        var tariff = Tariff.with {
            $0.displayName = name
            $0.commodity = .electric
            $0.currencyCode = "USD"
            $0.timeZone = CityModel.timeZone
            $0.effectiveDates = .with { $0.startDate = .with { $0.year = 2020; $0.month = 1; $0.day = 1 } }
            $0.approvalReference = approval
            $0.jurisdiction = CityModel.jurisdiction
            $0.regulatoryScope = .regulated
            $0.fixedMonthlyCharge = .with { $0.currencyCode = "USD"; $0.minorUnits = fixedCents }
            $0.unit = .kwh
        }
        energy(&tariff)
        return tariff
    }

    /// A price of `cents` per kWh (micro-minor units: millionths of a cent).
    private static func price(cents: Int64) -> EnergyPrice {
        .with { $0.currencyCode = "USD"; $0.microMinorUnits = cents * 1_000_000; $0.unit = .kwh }
    }

    private static func tier(fromKWh: Int64, toKWh: Int64?, cents: Int64) -> TariffTier {
        .with {
            $0.fromQuantity = .with { $0.milliValue = fromKWh * 1000; $0.unit = .kwh }
            if let toKWh { $0.toQuantity = .with { $0.milliValue = toKWh * 1000; $0.unit = .kwh } }
            $0.price = price(cents: cents)
        }
    }

    private static func period(_ name: String, _ days: [DayOfWeek], _ start: Int32, _ end: Int32, cents: Int64) -> TimeOfUsePeriod {
        .with {
            $0.periodName = name
            $0.days = days
            $0.startHour = start
            $0.endHour = end
            $0.price = price(cents: cents)
        }
    }

    private static func utility(_ name: String, _ summary: String, tariff: Int) -> PlannedProduct {
        PlannedProduct(
            product: .with {
                $0.displayName = name
                $0.summary = summary
                $0.regulatoryScope = .regulated
                $0.category = .utilityService
                $0.commodity = .electric
                $0.pricingModel = .tariff
                $0.pricingTerms = "Regulated tariff; see the tariff sheet."
            },
            tariff: tariff)
    }

    private static func offering(
        _ name: String, _ category: ProductCategory, _ pricing: PricingModel, cents: Int64, terms: String, features: [String]
    ) -> PlannedProduct {
        PlannedProduct(
            product: .with {
                $0.displayName = name
                $0.regulatoryScope = .nonRegulated
                $0.category = category
                $0.pricingModel = pricing
                $0.listPrice = .with { $0.currencyCode = "USD"; $0.minorUnits = cents }
                $0.pricingTerms = terms
                $0.features = features
            },
            tariff: nil)
    }
}
