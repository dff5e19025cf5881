import Foundation
import QuantumTypes

/// The one city the demo utility serves: a center, a time zone, postal codes, and points
/// scattered around the center in fixed-point degrees.
enum CityModel {
    static let locality = "Sacramento"
    static let administrativeArea = "CA"
    static let regionCode = "US"
    static let timeZone = "America/Los_Angeles"
    static let jurisdiction = "US-CA"
    static let latitudeE7: Int32 = 385_816_000
    static let longitudeE7: Int32 = -1_214_944_000
    static let postalCodes = ["95811", "95814", "95816", "95818", "95819", "95820", "95821", "95822", "95825", "95831"]
    /// One degree of latitude is about 111 km; the service territory spans about ±12 km.
    static let spreadE7: Int32 = 1_100_000

    /// A point `north`/`east` (in units of 1e-7 degrees) from `origin`.
    static func offset(_ origin: GeoPoint, north: Int32, east: Int32) -> GeoPoint {
        .with {
            $0.latitudeE7 = origin.latitudeE7 + north
            $0.longitudeE7 = origin.longitudeE7 + east
        }
    }

    static var center: GeoPoint { .with { $0.latitudeE7 = latitudeE7; $0.longitudeE7 = longitudeE7 } }

    static func address(line: String, postalCode: String) -> PostalAddress {
        .with {
            $0.regionCode = regionCode
            $0.postalCode = postalCode
            $0.administrativeArea = administrativeArea
            $0.locality = locality
            $0.addressLines = [line]
        }
    }
}
