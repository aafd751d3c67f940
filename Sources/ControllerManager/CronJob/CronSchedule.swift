import Foundation
import KubeAPI

/// Why a cron schedule could not be parsed; the text follows the messages of robfig/cron, which upstream's
/// `UnparseableSchedule` events quote.
public struct CronParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

/// A standard five-field cron schedule (`minute hour day-of-month month day-of-week`) in a time zone, as upstream
/// parses `spec.schedule` with robfig/cron's `ParseStandard`:
///
/// - each field is a comma-separated list of `*` (or `?`), a value, a range `a-b`, each optionally with a step
///   `/n`; `a/n` means `a-max/n`; months and weekdays also take names (`jan`, `MON`), weekdays run 0–6 from Sunday;
/// - `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`) and `@hourly`;
/// - a leading `TZ=<zone>` or `CRON_TZ=<zone>` picks the zone;
/// - when both day fields are restricted a day matches either of them; when either is `*` (with no step) both
///   must match.
///
/// `@every` is not supported. Times are matched on the zone's wall clock, instant by instant, so a time skipped
/// by a daylight-saving jump never fires and one repeated fires twice, as with robfig/cron.
public struct CronSchedule: Sendable, Hashable {
    /// Allowed minutes, hours, days of month, months and weekdays as bit sets.
    var minutes: UInt64
    var hours: UInt64
    var daysOfMonth: UInt64
    var months: UInt64
    var daysOfWeek: UInt64
    /// Whether the day fields were an unrestricted `*`.
    var anyDayOfMonth: Bool
    var anyDayOfWeek: Bool
    /// The zone whose wall clock the fields describe.
    public var timeZone: TimeZone

    struct Field {
        var minimum: Int
        var maximum: Int
        var names: [String: Int] = [:]
    }

    static let fields = [
        Field(minimum: 0, maximum: 59), Field(minimum: 0, maximum: 23), Field(minimum: 1, maximum: 31),
        Field(minimum: 1, maximum: 12, names: ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
                                               "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]),
        Field(minimum: 0, maximum: 6, names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]),
    ]

    static let descriptors = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses a schedule.
    /// - Parameters:
    ///   - text: the schedule, e.g. "*/5 * * * *" or "TZ=Europe/Paris 0 9 * * mon-fri".
    ///   - timeZone: the zone when the text names none (upstream: `spec.timeZone`, else the controller's local zone).
    public init(parsing text: String, timeZone: TimeZone) throws(CronParseError) {
        var spec = text.trimmingCharacters(in: .whitespaces)
        guard !spec.isEmpty else { throw CronParseError(description: "empty spec string") }
        var zone = timeZone
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            let end = spec.firstIndex(of: " ") ?? spec.endIndex
            let name = String(spec[spec.index(after: spec.firstIndex(of: "=") ?? spec.startIndex)..<end])
            guard let named = TimeZone(identifier: name) else {
                throw CronParseError(description: "provided bad location \(name): unknown time zone \(name)")
            }
            zone = named
            spec = String(spec[end...]).trimmingCharacters(in: .whitespaces)
        }
        if spec.hasPrefix("@") {
            guard let expanded = Self.descriptors[spec] else {
                throw CronParseError(description: "unrecognized descriptor: \(spec)")
            }
            spec = expanded
        }
        let parts = spec.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 5 else {
            throw CronParseError(description: "expected exactly 5 fields, found \(parts.count): [\(parts.joined(separator: " "))]")
        }
        var sets: [UInt64] = []
        var stars: [Bool] = []
        for (part, field) in zip(parts, Self.fields) {
            var bits: UInt64 = 0
            var star = false
            for piece in part.split(separator: ",", omittingEmptySubsequences: false) {
                let range = try Self.range(String(piece), field)
                bits |= range.bits
                star = star || range.star
            }
            sets.append(bits)
            stars.append(star)
        }
        minutes = sets[0]
        hours = sets[1]
        daysOfMonth = sets[2]
        months = sets[3]
        daysOfWeek = sets[4]
        anyDayOfMonth = stars[2]
        anyDayOfWeek = stars[4]
        self.timeZone = zone
    }

    /// One list element (robfig `getRange`): the values it allows, and whether it was a bare `*`.
    static func range(_ expression: String, _ field: Field) throws(CronParseError) -> (bits: UInt64, star: Bool) {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start: Int
        var end: Int
        var star = false
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            (start, end, star) = (field.minimum, field.maximum, true)
        } else {
            start = try value(lowAndHigh[0], field)
            switch lowAndHigh.count {
            case 1: end = start
            case 2: end = try value(lowAndHigh[1], field)
            default: throw CronParseError(description: "too many hyphens: \(expression)")
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            step = try number(rangeAndStep[1])
            if lowAndHigh.count == 1 { end = field.maximum }
            if step > 1 { star = false }
        default: throw CronParseError(description: "too many slashes: \(expression)")
        }
        if start < field.minimum {
            throw CronParseError(description: "beginning of range (\(start)) below minimum (\(field.minimum)): \(expression)")
        }
        if end > field.maximum {
            throw CronParseError(description: "end of range (\(end)) above maximum (\(field.maximum)): \(expression)")
        }
        if start > end {
            throw CronParseError(description: "beginning of range (\(start)) beyond end of range (\(end)): \(expression)")
        }
        if step == 0 { throw CronParseError(description: "step of range should be a positive number: \(expression)") }
        var bits: UInt64 = 0
        for value in stride(from: start, through: end, by: step) { bits |= 1 << UInt64(value) }
        return (bits, star)
    }

    private static func value(_ text: String, _ field: Field) throws(CronParseError) -> Int {
        if let named = field.names[text.lowercased()] { return named }
        return try number(text)
    }

    private static func number(_ text: String) throws(CronParseError) -> Int {
        guard let value = Int(text) else { throw CronParseError(description: "failed to parse int from \(text)") }
        guard value >= 0 else { throw CronParseError(description: "negative number (\(value)) not allowed: \(text)") }
        return value
    }

    /// The first instant strictly after `time` (on a whole minute) whose wall-clock time in the zone matches, or nil
    /// when none does within five years (an impossible date such as February 30th).
    /// - Parameters:
    ///   - time: the reference instant.
    public func next(after time: KubeTime) -> KubeTime? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var date = Date(timeIntervalSince1970: TimeInterval(time.seconds - time.seconds.floorMod(60) + 60))
        let yearLimit = calendar.component(.year, from: date) + 5
        while true {
            let local = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            guard let year = local.year, year <= yearLimit, let month = local.month, let day = local.day,
                  let hour = local.hour, let minute = local.minute, let weekday = local.weekday else { return nil }
            if months & (1 << UInt64(month)) == 0 {
                guard let end = calendar.dateInterval(of: .month, for: date)?.end else { return nil }
                date = end
            } else if !dayMatches(day: day, weekday: weekday - 1) {
                guard let end = calendar.dateInterval(of: .day, for: date)?.end else { return nil }
                date = end
            } else if hours & (1 << UInt64(hour)) == 0 {
                date = date.addingTimeInterval(TimeInterval(3600 - minute * 60 - (local.second ?? 0)))
            } else if minutes & (1 << UInt64(minute)) == 0 {
                date = date.addingTimeInterval(60)
            } else {
                return KubeTime(seconds: Int64(date.timeIntervalSince1970.rounded(.down)))
            }
        }
    }

    /// Robfig's `dayMatches`: both day fields must match when either is `*`, else either may.
    func dayMatches(day: Int, weekday: Int) -> Bool {
        let domMatch = daysOfMonth & (1 << UInt64(day)) != 0
        let dowMatch = daysOfWeek & (1 << UInt64(weekday)) != 0
        return anyDayOfMonth || anyDayOfWeek ? domMatch && dowMatch : domMatch || dowMatch
    }
}

extension Int64 {
    /// The remainder of flooring division (non-negative for a positive divisor).
    func floorMod(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
