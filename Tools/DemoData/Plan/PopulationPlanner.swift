import AssetAPI
import CustomerAPI
import MeteringAPI
import ProtoRuntime
import QuantumTypes

/// Customers and everything at their premises: about 85 % households and 15 % businesses,
/// one premise each (fed by a service point under a transformer, metered), a REGULATED
/// electric account for everyone, and NON_REGULATED products (EV charger, rooftop solar, smart
/// home) with their own account, devices and, for some, consent to share usage data.
struct PopulationPlanner {
    /// Customer 0 is the tour's household (solar, EV charger, consents); customer 1 the tour's business.
    static let tourCustomer = 0
    static let tourBusiness = 1

    let transformers: [Int]

    func populate(_ plan: inout DemoPlan) {
        for index in 0..<plan.parameters.customers {
            var random = SeededRandom(seed: plan.parameters.seed, stream: "customer-\(index)")
            let commercial = index == Self.tourBusiness || (index != Self.tourCustomer && random.chance(0.15))
            addCustomer(index, commercial: commercial, &random, &plan)
        }
    }

    private func addCustomer(_ index: Int, commercial: Bool, _ random: inout SeededRandom, _ plan: inout DemoPlan) {
        let customer = plan.customers.count
        plan.customers.append(commercial ? PeopleFactory.business(index, &random) : PeopleFactory.household(index, &random))
        let premise = addPremise(index, customer: customer, commercial: commercial, &random, &plan)
        let meter = plan.assets.count - 1

        // The regulated account and its tariff product.
        let product = commercial
            ? CatalogPlanner.ProductIndex.smallBusiness
            : (random.chance(0.35) ? CatalogPlanner.ProductIndex.residentialTimeOfUse : CatalogPlanner.ProductIndex.residentialTiered)
        let account = addAccount(customer: customer, premise: premise, scope: .regulated, name: commercial ? "Business electric" : "Home electric", &plan)
        addAgreement(account: account, product: product, &random, &plan)

        // Non-regulated offerings.
        let tour = index == Self.tourCustomer
        let solar = tour || (!commercial && random.chance(0.12))
        let ev = tour || random.chance(commercial ? 0.10 : 0.15)
        let hub = !commercial && !tour && random.chance(0.10)
        let offerings = [(solar, CatalogPlanner.ProductIndex.rooftopSolar, AssetType.rooftopSolar, Int64(6)),
                         (ev, CatalogPlanner.ProductIndex.evCharger, AssetType.evCharger, Int64(11)),
                         (hub, CatalogPlanner.ProductIndex.smartHome, AssetType.smartHomeHub, Int64(0))]
            .filter(\.0)
        if !offerings.isEmpty {
            let services = addAccount(customer: customer, premise: premise, scope: .nonRegulated, name: "Home energy services", &plan)
            for (_, product, type, kilowatts) in offerings {
                let agreement = addAgreement(account: services, product: product, &random, &plan)
                addDevice(type, kilowatts: kilowatts, premise: premise, meter: meter, product: product, agreement: agreement, &random, &plan)
            }
            if tour || random.chance(0.6) {
                addConsent(customer: customer, to: .nonRegulated, scopes: [.usageData, .contactDetails], &random, &plan)
            }
        }
        if tour || random.chance(0.08) {
            addConsent(customer: customer, to: .regulated, scopes: [.accountAndBilling], &random, &plan)
        }
        addMeterPoint(premise: premise, meter: meter, commercial: commercial, solar: solar, &random, &plan)
    }

    /// The premise, its service point (under the customer's transformer) and its meter (the
    /// last asset appended).
    private func addPremise(_ index: Int, customer: Int, commercial: Bool, _ random: inout SeededRandom, _ plan: inout DemoPlan) -> Int {
        let transformer = transformers[index / GridPlanner.premisesPerTransformer]
        let origin = plan.assets[transformer].asset.location?.point ?? CityModel.center
        let point = CityModel.offset(origin, north: Int32(random.int(-3_000...3_000)), east: Int32(random.int(-3_000...3_000)))
        let street = "\(100 + index % 97 * 20 + random.int(0...9)) \(random.pick(NameBank.streets))"
        let line = commercial ? "\(street), Suite \(random.int(1...30) * 10)" : street
        let servicePoint = GridPlanner.add(&plan, parent: transformer, .with {
            $0.displayName = "Service point \(line)"
            $0.assetType = .servicePoint
            $0.location = .with { $0.point = point }
        })
        let premise = plan.premises.count
        plan.premises.append(PlannedPremise(
            premise: .with {
                $0.displayName = line
                $0.address = CityModel.address(line: line, postalCode: random.pick(CityModel.postalCodes))
                $0.location = point
                $0.serviceTypes = !commercial && random.chance(0.4) ? [.electric, .gas] : [.electric]
                $0.timeZone = CityModel.timeZone
            },
            customer: customer, servicePoint: servicePoint, transformer: transformer))
        _ = GridPlanner.add(&plan, parent: servicePoint, premise: premise, .with {
            $0.displayName = "Meter \(line)"
            $0.assetType = .electricMeter
            $0.assetClass = .meter
            $0.location = .with { $0.point = point }
            $0.attributes = .with {
                $0.manufacturer = random.pick(NameBank.meterMakers)
                $0.model = "AMI \(random.pick(["Gen5", "Centron", "E350", "REX2"]))"
                $0.serialNumber = "M\(random.int(10_000_000...99_999_999))"
            }
        })
        return premise
    }

    private func addAccount(customer: Int, premise: Int, scope: RegulatoryScope, name: String, _ plan: inout DemoPlan) -> Int {
        plan.accounts.append(PlannedAccount(
            account: .with {
                $0.regulatoryScope = scope
                $0.displayName = name
                $0.currencyCode = "USD"
            },
            customer: customer, premise: premise))
        return plan.accounts.count - 1
    }

    @discardableResult
    private func addAgreement(account: Int, product: Int, _ random: inout SeededRandom, _ plan: inout DemoPlan) -> Int {
        let days = LocalDays(timeZone: CityModel.timeZone)
        let start = days.date(of: plan.parameters.windowStart - Int64(random.int(30...2_500)) * 86_400)
        plan.agreements.append(PlannedAgreement(
            agreement: .with {
                $0.startDate = start
                $0.terms = plan.products[product].product.pricingTerms
            },
            account: account, product: product))
        return plan.agreements.count - 1
    }

    private func addDevice(
        _ type: AssetType, kilowatts: Int64, premise: Int, meter: Int, product: Int, agreement: Int,
        _ random: inout SeededRandom, _ plan: inout DemoPlan
    ) {
        var asset = Asset.with {
            $0.displayName = "\(plan.products[product].product.displayName) at \(plan.premises[premise].premise.displayName)"
            $0.assetType = type
            $0.assetClass = .customerSited
            $0.regulatoryScope = .nonRegulated
            $0.status = .inService
            $0.location = .with { $0.point = plan.premises[premise].premise.location }
            $0.attributes = .with {
                $0.manufacturer = random.pick(type == .rooftopSolar ? ["SunPower", "Enphase", "REC"] : ["ChargePoint", "Wallbox", "Emporia"])
                $0.serialNumber = "D\(random.int(10_000_000...99_999_999))"
                if kilowatts > 0 { $0.capacity = .with { $0.milliValue = kilowatts * 1000; $0.unit = .kilowatt } }
            }
        }
        if type == .rooftopSolar || type == .evCharger { asset.commodity = .electric }
        plan.assets.append(PlannedAsset(asset: asset, parent: meter, premise: premise, agreement: agreement, product: product))
    }

    private func addConsent(customer: Int, to unit: BusinessUnit, scopes: [ConsentScope], _ random: inout SeededRandom, _ plan: inout DemoPlan) {
        plan.consents.append(PlannedConsent(
            consent: .with {
                $0.recipientBusinessUnit = unit
                $0.scopes = scopes
                $0.source = random.pick([.online, .phone, .paperForm])
                $0.sourceReference = "FORM-\(random.int(100_000...999_999))"
            },
            customer: customer))
    }

    private func addMeterPoint(premise: Int, meter: Int, commercial: Bool, solar: Bool, _ random: inout SeededRandom, _ plan: inout DemoPlan) {
        let window = (start: plan.parameters.windowStart, end: plan.parameters.windowEnd)
        let intervals = Int((window.end - window.start) / ReadingProfile.intervalSeconds)
        var gaps: [ReadingGap] = []
        // Defects stay a few intervals away from the window's edges, where VEE has readings on
        // both sides of a gap and a recent median to compare a spike with.
        if random.chance(0.06) {
            let count = random.int(4...24)
            gaps.append(ReadingGap(start: window.start + Int64(random.int(8...(intervals - count - 8))) * ReadingProfile.intervalSeconds, count: count))
        }
        var spikes: [Int64] = []
        if random.chance(0.04) {
            for _ in 0..<random.int(1...2) {
                let start = window.start + Int64(random.int(8...(intervals - 1))) * ReadingProfile.intervalSeconds
                if !gaps.contains(where: { $0.contains(start) }) && !spikes.contains(start) { spikes.append(start) }
            }
        }
        // The peak stays below the base load so that ordinary peaks stay under VEE's default
        // spike threshold (3× the recent median) and only the planned spikes stand out.
        let base = Int64(commercial ? random.int(600...1_500) : random.int(120...250))
        let profile = ReadingProfile(
            shape: commercial ? .commercial : .residential,
            baseMilli: base,
            peakMilli: base * Int64(random.int(50...90)) / 100,
            solarPeakMilli: solar ? Int64(random.int(1_050...1_500)) : 0,
            noiseSeed: random.next(), gaps: gaps, spikes: spikes.sorted(), timeZone: CityModel.timeZone)
        plan.meterPoints.append(PlannedMeterPoint(
            meterPoint: .with {
                $0.commodity = .electric
                $0.unit = .kwh
                $0.intervalLength = ProtoDuration(seconds: ReadingProfile.intervalSeconds)
                $0.purpose = .revenue
                $0.regulatoryScope = .regulated
                $0.timeZone = CityModel.timeZone
                $0.status = .active
                $0.installTime = Timestamp(seconds: window.start - Int64(random.int(60...3_000)) * 86_400)
            },
            premise: premise, meterAsset: meter, profile: profile))
    }
}
