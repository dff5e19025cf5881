import CustomerAPI

/// Synthetic customers whose contact data passes customer-service's validators: e-mail
/// addresses under example.com, E.164 numbers in the 555-01xx fictional range's spirit.
enum PeopleFactory {
    static func household(_ index: Int, _ random: inout SeededRandom) -> Customer {
        let given = random.pick(NameBank.givenNames), family = random.pick(NameBank.familyNames)
        return .with {
            $0.kind = .residential
            $0.displayName = "\(given) \(family)"
            $0.givenName = given
            $0.familyName = family
            $0.contact = .with {
                $0.emails = [.with { $0.address = "\(given.lowercased()).\(family.lowercased()).\(index)@example.com"; $0.label = "home"; $0.primary = true }]
                $0.phones = [.with { $0.e164Number = phone(index, &random); $0.kind = .mobile; $0.primary = true }]
            }
            $0.demographics = .with {
                $0.householdSize = Int32(random.int(1...6))
                $0.dwellingType = random.chance(0.7) ? .singleFamily : .multiFamily
                $0.birthYear = Int32(random.int(1940...2003))
            }
            $0.communicationPreferences = .with {
                $0.preferredChannels = random.chance(0.6) ? [.email, .sms] : [.sms, .phoneCall]
                $0.languageCode = random.pick(NameBank.languages)
                $0.marketingOptIn = random.chance(0.3)
                $0.outageAlertsOptIn = random.chance(0.8)
                $0.billingAlertsOptIn = random.chance(0.7)
                $0.paperlessBilling = random.chance(0.55)
            }
        }
    }

    static func business(_ index: Int, _ random: inout SeededRandom) -> Customer {
        let kind = random.pick(NameBank.businessKinds)
        let name = "\(random.pick(NameBank.businessWords)) \(kind.name)"
        let domain = name.lowercased().filter { $0.isLetter || $0.isNumber }
        return .with {
            $0.kind = .commercial
            $0.displayName = name
            $0.organizationName = "\(name) LLC"
            $0.contact = .with {
                $0.emails = [.with { $0.address = "billing.\(index)@\(domain).example.com"; $0.label = "billing"; $0.primary = true }]
                $0.phones = [.with { $0.e164Number = phone(index, &random); $0.kind = .work; $0.primary = true }]
            }
            $0.demographics = .with {
                $0.dwellingType = .commercialBuilding
                $0.industryCode = kind.naics
                $0.employeeCount = Int32(random.int(2...120))
            }
            $0.communicationPreferences = .with {
                $0.preferredChannels = [.email]
                $0.languageCode = "en-US"
                $0.outageAlertsOptIn = true
                $0.billingAlertsOptIn = true
                $0.paperlessBilling = true
            }
        }
    }

    /// +1 916 area code, a unique-ish subscriber number per customer.
    private static func phone(_ index: Int, _ random: inout SeededRandom) -> String {
        "+1916\(random.int(200...999))\(String(index % 10_000).leftPadded(to: 4))"
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
