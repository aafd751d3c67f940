import KubeAPI
import Testing
@testable import APIServer

/// Shared fixtures for the Table tests: a fixed "now", timestamps relative to it, and one-row conversions.
enum TableFixture {
    /// 2026-01-10T12:00:00Z, the instant every test measures ages against.
    static let now = KubeTime(seconds: 1_768_046_400)

    /// The RFC 3339 text of `now` minus `seconds`.
    static func ago(_ seconds: Int64) -> JSONValue { .string(now.adding(seconds: -seconds).rfc3339) }

    /// The served resource, failing the test when the table does not know it.
    static func resource(_ plural: String, group: String = "", version: String = "v1") throws -> APIResourceInfo {
        try #require(ResourceTable.resource(group: group, version: version, plural: plural))
    }

    /// The Table for one object.
    static func table(_ plural: String, group: String = "", version: String = "v1", _ object: JSONValue,
                      include: TableIncludeObject = .metadata) throws -> JSONValue {
        TableConverter.table(for: try resource(plural, group: group, version: version), object: object,
                             includeObject: include, now: now)
    }

    /// The cells of one object's row.
    static func cells(_ plural: String, group: String = "", version: String = "v1", _ object: JSONValue) throws
        -> [JSONValue]
    {
        try table(plural, group: group, version: version, object)[path: ["rows"]]?[0]?["cells"]?.array ?? []
    }

    /// The column names a resource prints, in order.
    static func columns(_ plural: String, group: String = "", version: String = "v1") throws -> [String] {
        let table = try table(plural, group: group, version: version, ["metadata": ["name": "x"]])
        return (table["columnDefinitions"]?.array ?? []).compactMap { $0["name"]?.string }
    }

    /// The names of the wide-only (priority 1) columns.
    static func wideColumns(_ plural: String, group: String = "", version: String = "v1") throws -> [String] {
        let table = try table(plural, group: group, version: version, ["metadata": ["name": "x"]])
        return (table["columnDefinitions"]?.array ?? []).filter { $0["priority"] == 1 }.compactMap { $0["name"]?.string }
    }

    /// An object with metadata created `age` seconds before `now`.
    static func object(_ name: String, age: Int64 = 300, namespace: String? = "default", _ fields: JSONValue = [:])
        -> JSONValue
    {
        var object = fields
        object["metadata"] = ["name": .string(name), "creationTimestamp": ago(age)]
        if let namespace { object[path: ["metadata", "namespace"]] = .string(namespace) }
        return object
    }
}
