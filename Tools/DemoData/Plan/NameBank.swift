/// Word lists the synthetic people, businesses and streets are drawn from.
enum NameBank {
    static let givenNames = [
        "Ana", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Isabel", "James", "Keiko", "Luis",
        "Maria", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samuel", "Tara", "Umar", "Valeria", "Wei", "Ximena",
        "Yusuf", "Zoe", "Aaron", "Beatriz", "Chen", "Diana", "Emeka", "Fatima", "Gabriel", "Hannah", "Ivan", "Julia",
        "Kofi", "Leila", "Mateo", "Nora", "Oscar", "Paula", "Rahul", "Sofia", "Tomas", "Uma", "Victor", "Wanda",
    ]
    static let familyNames = [
        "Silva", "Nguyen", "Garcia", "Smith", "Kim", "Patel", "Johnson", "Lopez", "Chen", "Okafor", "Brown", "Rossi",
        "Martinez", "Tanaka", "Wilson", "Ahmed", "Anderson", "Kowalski", "Hernandez", "Singh", "Moore", "Dubois",
        "Taylor", "Yamamoto", "Thomas", "Haddad", "Jackson", "Ivanova", "White", "Costa", "Harris", "Novak",
    ]
    static let businessWords = [
        "Riverside", "Capitol", "Golden", "Delta", "Sierra", "Oak Park", "Midtown", "Harbor", "Summit", "Evergreen",
        "Pioneer", "Blue Bottle", "Redwood", "Granite", "Sunrise", "Tower", "American River", "Old Town",
    ]
    /// (kind of business, NAICS code)
    static let businessKinds: [(name: String, naics: String)] = [
        ("Bakery", "311811"), ("Dental Care", "621210"), ("Hardware", "444140"), ("Coffee Roasters", "311920"),
        ("Auto Repair", "811111"), ("Grocery", "445110"), ("Fitness", "713940"), ("Printing", "323111"),
        ("Veterinary Clinic", "541940"), ("Brewing Co", "312120"), ("Laundromat", "812310"), ("Bistro", "722511"),
    ]
    static let streets = [
        "Oak St", "J St", "Capitol Ave", "Folsom Blvd", "Freeport Blvd", "Broadway", "Alhambra Blvd", "H St",
        "Land Park Dr", "Riverside Blvd", "Fair Oaks Blvd", "Stockton Blvd", "El Camino Ave", "Arden Way",
        "Howe Ave", "Watt Ave", "Florin Rd", "Franklin Blvd", "Del Paso Blvd", "Northgate Blvd",
    ]
    static let languages = ["en-US", "en-US", "en-US", "en-US", "es-US", "es-US", "zh-Hans", "vi", "ru"]
    static let manufacturers = ["ABB", "Siemens", "Eaton", "Schneider", "GE Vernova", "Hitachi Energy"]
    static let meterMakers = ["Itron", "Landis+Gyr", "Honeywell Elster", "Aclara"]
}
