import Foundation
import Synchronization

/// Counters behind `/metrics` in the Prometheus text format: requests by verb, group, resource and code with their
/// total latency, plus the process's resident memory. Upstream exposes far more; these are the series an operator
/// reads first (`apiserver_request_total`, `apiserver_request_duration_seconds`).
final class RequestMetrics: Sendable {
    private struct Key: Hashable {
        var verb: String
        var group: String
        var resource: String
        var code: Int
    }

    private struct Series {
        var count: UInt64 = 0
        var seconds: Double = 0
    }

    private let series = Mutex([Key: Series]())

    func record(verb: String, group: String, resource: String, code: Int, seconds: Double) {
        series.withLock { table in
            let key = Key(verb: verb, group: group, resource: resource, code: code)
            table[key, default: Series()].count += 1
            table[key, default: Series()].seconds += seconds
        }
    }

    func render() -> String {
        let snapshot = series.withLock { $0 }.sorted { ($0.key.group, $0.key.resource, $0.key.verb, $0.key.code)
            < ($1.key.group, $1.key.resource, $1.key.verb, $1.key.code) }
        var out = "# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, group, resource and HTTP response code.\n"
        out += "# TYPE apiserver_request_total counter\n"
        for (key, value) in snapshot {
            out += "apiserver_request_total{\(labels(key))} \(value.count)\n"
        }
        out += "# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb, group and resource.\n"
        out += "# TYPE apiserver_request_duration_seconds summary\n"
        for (key, value) in snapshot {
            out += "apiserver_request_duration_seconds_sum{\(labels(key))} \(value.seconds)\n"
            out += "apiserver_request_duration_seconds_count{\(labels(key))} \(value.count)\n"
        }
        out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\n"
        out += "process_resident_memory_bytes \(Self.residentBytes())\n"
        return out
    }

    private func labels(_ key: Key) -> String {
        "code=\"\(key.code)\",group=\"\(key.group)\",resource=\"\(key.resource)\",verb=\"\(key.verb.uppercased())\""
    }

    /// RSS from /proc/self/statm (pages × page size); 0 where /proc is absent.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
