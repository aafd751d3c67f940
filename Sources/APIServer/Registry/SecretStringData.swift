import Foundation
import KubeAPI

/// A Secret's `stringData` is write-only convenience: upstream's strategy base64-encodes each entry into `data`
/// (overriding a key of the same name) and never stores `stringData`, so readers only ever see `data`.
enum SecretStringData {
    static func merge(_ object: inout JSONValue, _ info: APIResourceInfo) {
        guard info.group.isEmpty, info.plural == "secrets", let plain = object["stringData"]?.object else { return }
        var data = object["data"]?.object ?? [:]
        for (key, value) in plain {
            guard let text = value.string else { continue }
            data[key] = .string(Data(text.utf8).base64EncodedString())
        }
        object["data"] = .object(data)
        object["stringData"] = nil
    }
}
