import Foundation
import KubeAPI

/// Typed status values (the generated `BatchV1` models) back to JSON, members in sorted order so a written
/// status reads the same on every write.
enum StatusJSON {
    static func encode(_ value: some Encodable) -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(value), let json = try? JSONParser().parse(Array(data)) else { return .emptyObject }
        return json
    }
}
