import KubeAPI

/// Upstream's `duration.HumanDuration` (k8s.io/apimachinery/pkg/util/duration): a short duration with two to three
/// significant figures, as kubectl shows in AGE, DURATION and "(5m ago)".
///
/// The rules, by magnitude: under 2 minutes whole seconds ("119s"); under 10 minutes minutes and seconds ("2m5s",
/// "5m"); under 3 hours whole minutes ("179m"); under 8 hours hours and minutes ("3h5m", "3h"); under 2 days whole
/// hours ("47h"); under 8 days days and hours ("2d5h", "2d"); under 2 years whole days ("45d"); under 8 years years and
/// days ("2y1d", "2y"); beyond, whole years. A duration down to -1s (clock skew between machines) reads "0s"; more
/// negative ones read "<invalid>". Every division truncates, as Go's integer division does.
enum HumanDuration {
    private static let second: Int64 = 1_000_000_000
    private static let minute = 60 * second
    private static let hour = 60 * minute

    /// Formats a duration given in nanoseconds.
    /// - Parameters:
    ///   - nanoseconds: the duration.
    static func format(nanoseconds d: Int64) -> String {
        let seconds = d / second
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = d / minute
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = d / hour
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// The nanoseconds from `start` to `end`, saturating instead of overflowing for instants centuries apart.
    /// - Parameters:
    ///   - start: the earlier instant.
    ///   - end: the later instant.
    static func nanoseconds(from start: KubeTime, to end: KubeTime) -> Int64 {
        let saturated: Int64 = end.seconds >= start.seconds ? .max : .min
        let (difference, borrow) = end.seconds.subtractingReportingOverflow(start.seconds)
        let (wholeSeconds, overflow) = difference.multipliedReportingOverflow(by: second)
        if borrow || overflow { return saturated }
        let (total, carry) = wholeSeconds.addingReportingOverflow(Int64(end.nanoseconds) - Int64(start.nanoseconds))
        if carry { return saturated }
        return total
    }

    /// Formats the time elapsed from `start` to `end`.
    /// - Parameters:
    ///   - start: the earlier instant.
    ///   - end: the later instant.
    static func between(_ start: KubeTime, _ end: KubeTime) -> String {
        format(nanoseconds: nanoseconds(from: start, to: end))
    }
}
