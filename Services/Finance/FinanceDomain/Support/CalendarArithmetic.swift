import QuantumTypes

/// Calendar dates as day numbers (days since 1970-01-01, proleptic Gregorian) so periods can be
/// compared, counted and shifted exactly, without Foundation's calendars.
extension CalendarDate {
    /// yyyymmdd as one integer: orders like the dates do (store columns, comparisons).
    var ordinal: Int64 { Int64(year) * 10_000 + Int64(month) * 100 + Int64(day) }

    var isValid: Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= Self.length(ofMonth: month, in: year)
    }

    var text: String {
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    var dayNumber: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01 (civil_from_days).
    init(dayNumber: Int64) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init()
        self.year = Int32(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
        self.month = Int32(month)
        self.day = Int32(day)
    }

    func adding(days: Int64) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    private static func length(ofMonth month: Int32, in year: Int32) -> Int32 {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths: [Int32] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return lengths[Int(month) - 1]
    }
}

extension AccountingPeriod {
    /// yyyymm, the store's period column.
    var ordinal: Int64 { Int64(year) * 100 + Int64(month) }
    var text: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
}
