import AssetAPI
import Foundation
import QuantumTypes

/// The distribution network: substations → feeders → transformers, sized so each transformer
/// serves about eight premises; the per-premise service points and meters hang below them.
struct GridPlanner {
    static let premisesPerTransformer = 8
    static let transformersPerFeeder = 12
    static let feedersPerSubstation = 6

    /// Indices (into `plan.assets`) of the backbone.
    struct Backbone {
        var substations: [Int] = []
        var feeders: [Int] = []
        var transformers: [Int] = []
    }

    static func backbone(premises: Int, into plan: inout DemoPlan) -> Backbone {
        var random = SeededRandom(seed: plan.parameters.seed, stream: "grid")
        let transformerCount = (premises + premisesPerTransformer - 1) / premisesPerTransformer
        let feederCount = (transformerCount + transformersPerFeeder - 1) / transformersPerFeeder
        let substationCount = (feederCount + feedersPerSubstation - 1) / feedersPerSubstation
        var backbone = Backbone()
        for index in 0..<substationCount {
            let angle = Double(index) * 2.399963  // golden angle: substations spread evenly
            let distance = substationCount == 1 ? 0 : Double(CityModel.spreadE7) * 0.6 * sqrt(Double(index + 1) / Double(substationCount))
            let point = CityModel.offset(CityModel.center, north: Int32(distance * sin(angle)), east: Int32(distance * cos(angle)))
            backbone.substations.append(addEquipment(
                &plan, "\(CityModel.locality) Substation \(index + 1)", .substation, parent: nil, at: point,
                attributes(&random, capacityKW: 50_000, voltage: 69_000)))
        }
        for index in 0..<feederCount {
            let substation = backbone.substations[index / feedersPerSubstation]
            let origin = plan.assets[substation].asset.location?.point ?? CityModel.center
            let angle = Double(index % feedersPerSubstation) * Double.pi / 3 + random.unit() * 0.4
            let point = CityModel.offset(origin, north: Int32(9_000 * sin(angle)), east: Int32(9_000 * cos(angle)))
            backbone.feeders.append(addEquipment(
                &plan, "Feeder \(index / feedersPerSubstation + 1)-\(index % feedersPerSubstation + 1)", .feeder, parent: substation, at: point,
                attributes(&random, capacityKW: 8_000, voltage: 12_000)))
        }
        for index in 0..<transformerCount {
            let feeder = backbone.feeders[index / transformersPerFeeder]
            let origin = plan.assets[feeder].asset.location?.point ?? CityModel.center
            let step = Int32(index % transformersPerFeeder + 1) * 6_000
            let point = CityModel.offset(origin, north: step + Int32(random.int(-2_000...2_000)), east: step / 2 + Int32(random.int(-2_000...2_000)))
            backbone.transformers.append(addEquipment(
                &plan, "Transformer T-\(String(format: "%05d", index + 1))", .transformer, parent: feeder, at: point,
                attributes(&random, capacityKW: 75, voltage: 240)))
        }
        return backbone
    }

    /// A piece of the backbone (substation, feeder, transformer), appended to the plan.
    private static func addEquipment(
        _ plan: inout DemoPlan, _ name: String, _ type: AssetType, parent: Int?, at point: GeoPoint, _ attributes: AssetAttributes
    ) -> Int {
        add(&plan, parent: parent, .with {
            $0.displayName = name
            $0.assetType = type
            $0.attributes = attributes
            $0.location = .with { $0.point = point }
        })
    }

    /// A regulated distribution or meter asset, in service, appended to the plan.
    static func add(_ plan: inout DemoPlan, parent: Int?, premise: Int? = nil, _ asset: Asset) -> Int {
        var asset = asset
        if asset.assetClass == .unspecified { asset.assetClass = .distribution }
        if asset.regulatoryScope == .unspecified { asset.regulatoryScope = .regulated }
        asset.commodity = .electric
        asset.status = .inService
        plan.assets.append(PlannedAsset(asset: asset, parent: parent, premise: premise, agreement: nil, product: nil))
        return plan.assets.count - 1
    }

    static func attributes(_ random: inout SeededRandom, capacityKW: Int64, voltage: Int64) -> AssetAttributes {
        .with {
            $0.manufacturer = random.pick(NameBank.manufacturers)
            $0.model = "Series \(random.int(100...900))"
            $0.serialNumber = "SN\(random.int(1_000_000...9_999_999))"
            $0.installationDate = .with { $0.year = Int32(random.int(1985...2022)); $0.month = Int32(random.int(1...12)); $0.day = Int32(random.int(1...28)) }
            $0.capacity = .with { $0.milliValue = capacityKW * 1000; $0.unit = .kilowatt }
            $0.nominalVoltage = .with { $0.milliValue = voltage * 1000; $0.unit = .volt }
        }
    }
}
