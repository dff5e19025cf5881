import AssetAPI
import CustomerAPI
import FinanceAPI
import Foundation
import GatewayCore
import MeteringAPI
import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import Transport

/// Data seeded through the services' own typed clients, and the ids the checks compare with.
///
/// Ana (CUS) holds a REGULATED and a NON_REGULATED account at premise P1; Bo holds a REGULATED
/// account at P2. Topology: substation → feeder → transformer → meters M1 (P1), M2 (P2); a
/// meter point on each meter with 72 hourly readings of 1 kWh up to the last whole hour. An
/// open outage on the feeder records P1; work orders on the transformer and at P1. A flat
/// tariff (25¢/kWh + $10 fixed) prices the regulated product; Ana's regulated account has a
/// $50 charge and a $20 payment.
struct MeshSeed {
    var ana = "", bo = ""
    var premise1 = "", premise2 = ""
    var anaRegulated = "", anaNonRegulated = "", boRegulated = ""
    var tariff = "", regulatedProduct = "", chargerProduct = ""
    var anaAgreement = "", anaChargerAgreement = "", boAgreement = ""
    var substation = "", feeder = "", transformer = "", meter1 = "", meter2 = ""
    var meterPoint1 = "", meterPoint2 = ""
    var outage = "", transformerWorkOrder = "", premiseWorkOrder = ""
    var charge = "", payment = ""
    var interactions: [String] = []
    /// Start of the last whole hour with a reading.
    var lastReadingStart: Int64 = 0
    static let readingsPerMeter: Int64 = 72
    /// 72 × 1 kWh.
    static let deliveredMilli: Int64 = 72_000

    /// `bearerToken`: sent on every call, for a mesh with authentication on (it needs every
    /// service's write scope and `finance.post`).
    static func make(mesh: TestMesh, bearerToken: String? = nil) async throws -> MeshSeed {
        func channel(_ service: DownstreamService) throws -> GRPCChannel {
            try GRPCChannel(target: "127.0.0.1:\(mesh.port(of: service))")
        }
        let customerChannel = try channel(.customer), meteringChannel = try channel(.metering), assetChannel = try channel(.asset)
        let outageChannel = try channel(.outage), financeChannel = try channel(.finance)
        defer { [customerChannel, meteringChannel, assetChannel, outageChannel, financeChannel].forEach { $0.close() } }
        let customers = CustomerServiceClient(channel: customerChannel)
        let metering = MeteringServiceClient(channel: meteringChannel)
        let assets = AssetServiceClient(channel: assetChannel)
        let outages = OutageServiceClient(channel: outageChannel)
        let finance = FinanceServiceClient(channel: financeChannel)
        var metadata = Metadata()
        if let bearerToken { metadata.add("authorization", "Bearer \(bearerToken)") }
        let options = CallOptions.timeout(.seconds(10), metadata: metadata)
        var seed = MeshSeed()
        let now = Int64(Date().timeIntervalSince1970)

        // Finance: the tariff the regulated product points at.
        seed.tariff = try await finance.createTariff(.with {
            $0.tariff = .with {
                $0.displayName = "E-1 Residential"
                $0.commodity = .electric
                $0.currencyCode = "USD"
                $0.timeZone = "UTC"
                $0.effectiveDates = .with { $0.startDate = .with { $0.year = 2025; $0.month = 1; $0.day = 1 } }
                $0.approvalReference = "CPUC D.24-12-015"
                $0.jurisdiction = "US-CA"
                $0.regulatoryScope = .regulated
                $0.fixedMonthlyCharge = .with { $0.currencyCode = "USD"; $0.minorUnits = 1000 }
                $0.unit = .kwh
                $0.energyCharge = .flatRate(.with {
                    $0.price = .with { $0.currencyCode = "USD"; $0.microMinorUnits = 25_000_000; $0.unit = .kwh }
                })
            }
        }, options: options).tariff?.tariffID ?? ""

        // Customer: people, premises, products, accounts, agreements, interactions.
        func person(_ name: String, email: String) -> Customer {
            .with {
                $0.displayName = name
                $0.kind = .residential
                $0.contact = .with { $0.emails = [.with { $0.address = email; $0.primary = true }] }
                $0.communicationPreferences = .with {
                    $0.preferredChannels = [.sms, .email]
                    $0.outageAlertsOptIn = true
                    $0.languageCode = "en-US"
                }
            }
        }
        seed.ana = try await customers.createCustomer(.with { $0.customer = person("Ana Silva", email: "ana@example.com") }, options: options).customer?.customerID ?? ""
        seed.bo = try await customers.createCustomer(.with { $0.customer = person("Bo Chen", email: "bo@example.com") }, options: options).customer?.customerID ?? ""
        func premise(_ line: String) -> Premise {
            .with {
                $0.displayName = line
                $0.address = .with {
                    $0.regionCode = "US"
                    $0.postalCode = "94105"
                    $0.administrativeArea = "CA"
                    $0.locality = "San Francisco"
                    $0.addressLines = [line]
                }
                $0.serviceTypes = [.electric]
                $0.timeZone = "UTC"
            }
        }
        seed.premise1 = try await customers.createPremise(.with { $0.premise = premise("12 Oak St") }, options: options).premise?.premiseID ?? ""
        seed.premise2 = try await customers.createPremise(.with { $0.premise = premise("14 Oak St") }, options: options).premise?.premiseID ?? ""
        seed.regulatedProduct = try await customers.createProduct(.with {
            $0.product = .with {
                $0.displayName = "Residential Electric E-1"
                $0.regulatoryScope = .regulated
                $0.category = .utilityService
                $0.commodity = .electric
                $0.pricingModel = .tariff
                $0.tariffID = seed.tariff
            }
        }, options: options).product?.productID ?? ""
        seed.chargerProduct = try await customers.createProduct(.with {
            $0.product = .with {
                $0.displayName = "Level 2 Home Charger"
                $0.regulatoryScope = .nonRegulated
                $0.category = .evCharger
                $0.pricingModel = .subscription
                $0.listPrice = .with { $0.currencyCode = "USD"; $0.minorUnits = 2999 }
            }
        }, options: options).product?.productID ?? ""
        func account(_ customer: String, _ premise: String, _ scope: RegulatoryScope, _ name: String) async throws -> String {
            try await customers.createCustomerAccount(.with {
                $0.account = .with {
                    $0.customerID = customer
                    $0.premiseID = premise
                    $0.regulatoryScope = scope
                    $0.displayName = name
                    $0.currencyCode = "USD"
                }
            }, options: options).account?.accountID ?? ""
        }
        seed.anaRegulated = try await account(seed.ana, seed.premise1, .regulated, "Home electric")
        seed.anaNonRegulated = try await account(seed.ana, seed.premise1, .nonRegulated, "Home charger")
        seed.boRegulated = try await account(seed.bo, seed.premise2, .regulated, "Bo electric")
        func agreement(_ account: String, _ product: String) async throws -> String {
            try await customers.createServiceAgreement(.with {
                $0.agreement = .with {
                    $0.accountID = account
                    $0.productID = product
                    $0.startDate = .with { $0.year = 2025; $0.month = 1; $0.day = 1 }
                }
            }, options: options).agreement?.agreementID ?? ""
        }
        seed.anaAgreement = try await agreement(seed.anaRegulated, seed.regulatedProduct)
        seed.anaChargerAgreement = try await agreement(seed.anaNonRegulated, seed.chargerProduct)
        seed.boAgreement = try await agreement(seed.boRegulated, seed.regulatedProduct)
        for (offset, topic) in [(7200, "billing question"), (3600, "move-in")] {
            let created = try await customers.createInteraction(.with {
                $0.interaction = .with {
                    $0.customerID = seed.ana
                    $0.channel = .call
                    $0.interactionTime = Timestamp(seconds: now - Int64(offset))
                    $0.topic = topic
                }
            }, options: options)
            seed.interactions.insert(created.interaction?.interactionID ?? "", at: 0)  // newest first
        }

        // Asset: substation → feeder → transformer → two meters at the premises.
        func asset(_ name: String, _ type: AssetType, premise: String = "") async throws -> String {
            try await assets.createAsset(.with {
                $0.asset = .with {
                    $0.displayName = name
                    $0.assetType = type
                    $0.assetClass = .distribution
                    $0.regulatoryScope = .regulated
                    $0.commodity = .electric
                    $0.premiseID = premise
                }
            }, options: options).asset?.assetID ?? ""
        }
        seed.substation = try await asset("Mission substation", .substation)
        seed.feeder = try await asset("Feeder 12-4", .feeder)
        seed.transformer = try await asset("Pole transformer 88", .transformer)
        seed.meter1 = try await asset("Meter 12 Oak", .electricMeter, premise: seed.premise1)
        seed.meter2 = try await asset("Meter 14 Oak", .electricMeter, premise: seed.premise2)
        for (child, parent) in [(seed.feeder, seed.substation), (seed.transformer, seed.feeder), (seed.meter1, seed.transformer), (seed.meter2, seed.transformer)] {
            _ = try await assets.setParent(.with { $0.assetID = child; $0.parentAssetID = parent }, options: options)
        }
        for (premiseID, meter) in [(seed.premise1, seed.meter1), (seed.premise2, seed.meter2)] {
            _ = try await customers.updatePremise(.with {
                $0.premise = .with { $0.premiseID = premiseID; $0.servicePointAssetID = meter }
                $0.updateMask = FieldMask(paths: ["service_point_asset_id"])
            }, options: options)
        }

        // Metering: a meter point per meter, hourly readings of 1 kWh over the last 72 hours.
        seed.lastReadingStart = (now / 3600) * 3600 - 3600
        for (premiseID, meter) in [(seed.premise1, seed.meter1), (seed.premise2, seed.meter2)] {
            let meterPointID = try await metering.createMeterPoint(.with {
                $0.meterPoint = .with {
                    $0.premiseID = premiseID
                    $0.meterAssetID = meter
                    $0.commodity = .electric
                    $0.unit = .kwh
                    $0.intervalLength = ProtoDuration(seconds: 3600)
                    $0.purpose = .revenue
                    $0.regulatoryScope = .regulated
                    $0.timeZone = "UTC"
                    $0.installTime = Timestamp(seconds: now - 400 * 86_400)
                }
            }, options: options).meterPoint?.meterPointID ?? ""
            let rows = (0..<readingsPerMeter).map { index in
                MeterReading.with {
                    $0.meterPointID = meterPointID
                    $0.intervalStart = Timestamp(seconds: seed.lastReadingStart - index * 3600)
                    $0.kind = .interval
                    $0.channel = .delivered
                    $0.value = .with { $0.milliValue = 1000; $0.unit = .kwh }
                    $0.quality = .actual
                }
            }
            let summary = try await metering.ingestReadings(options: options) { writer in try await writer.write(.with { $0.readings = rows }) }.summary
            guard summary?.acceptedCount == readingsPerMeter else { throw MeshError("readings not accepted: \(String(describing: summary))") }
            if premiseID == seed.premise1 { seed.meterPoint1 = meterPointID } else { seed.meterPoint2 = meterPointID }
        }

        // Outage: an open outage on the feeder recording P1; work orders.
        seed.outage = try await outages.reportOutage(.with {
            $0.outage = .with {
                $0.commodity = .electric
                $0.cause = .equipmentFailure
                $0.faultAssetID = seed.feeder
                $0.affectedPremiseIDs = [seed.premise1]
                $0.customersAffected = 2
                $0.startTime = Timestamp(seconds: now - 1800)
                $0.reportedBy = "AMI last-gasp"
            }
        }, options: options).outage?.outageID ?? ""
        seed.transformerWorkOrder = try await outages.createWorkOrder(.with {
            $0.workOrder = .with {
                $0.kind = .repair
                $0.assetID = seed.transformer
                $0.outageID = seed.outage
                $0.instructions = "Replace the blown fuse"
            }
        }, options: options).workOrder?.workOrderID ?? ""
        seed.premiseWorkOrder = try await outages.createWorkOrder(.with {
            $0.workOrder = .with {
                $0.kind = .maintenance
                $0.premiseID = seed.premise1
                $0.instructions = "Inspect the meter base"
            }
        }, options: options).workOrder?.workOrderID ?? ""

        // Finance: a charge and a later payment on Ana's regulated account.
        func post(_ type: TransactionType, _ minor: Int64, secondsAgo: Int64, _ requestID: String) async throws -> String {
            try await finance.postTransaction(.with {
                $0.transaction = .with {
                    $0.accountID = seed.anaRegulated
                    $0.transactionType = type
                    $0.amount = .with { $0.currencyCode = "USD"; $0.minorUnits = minor }
                    $0.regulatoryScope = .regulated
                    $0.effectiveTime = Timestamp(seconds: now - secondsAgo)
                }
                $0.requestID = requestID
            }, options: options).transaction?.transactionID ?? ""
        }
        seed.charge = try await post(.charge, 5000, secondsAgo: 7200, "seed-charge")
        seed.payment = try await post(.payment, -2000, secondsAgo: 3600, "seed-payment")
        return seed
    }
}

