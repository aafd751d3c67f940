import Foundation
import KubeAPI

/// The files of ConfigMap, Secret, downward API and projected volumes.
extension VolumeManager {
    func projectedFiles(plugin: String, source: JSONValue, pod: JSONValue, namespace: String) async throws -> [AtomicDirectoryWriter.File] {
        let defaultMode = source["defaultMode"]?.int ?? 0o644
        switch plugin {
        case "configmap", "secret":
            return try await objectFiles(plugin == "secret", source, namespace: namespace, defaultMode: defaultMode)
        case "downward-api":
            return try downwardFiles(source["items"]?.array ?? [], pod: pod, defaultMode: defaultMode)
        default:
            var files: [AtomicDirectoryWriter.File] = []
            for projection in source["sources"]?.array ?? [] {
                if let reference = projection["configMap"] ?? projection["secret"] {
                    files += try await objectFiles(projection["secret"] != nil, reference, namespace: namespace, defaultMode: defaultMode)
                } else if let downward = projection["downwardAPI"] {
                    files += try downwardFiles(downward["items"]?.array ?? [], pod: pod, defaultMode: defaultMode)
                } else if let request = projection["serviceAccountToken"] {
                    guard let token else { throw VolumeError("serviceAccountToken projection needs an API server connection") }
                    let value = try await token(namespace, pod[path: ["spec", "serviceAccountName"]]?.string ?? "default",
                                                request["audience"]?.string ?? "", request["expirationSeconds"]?.int64 ?? 3600,
                                                pod.metadata.name ?? "", pod.metadata.uid ?? "")
                    files.append(.init(path: request["path"]?.string ?? "token", contents: Array(value.utf8), mode: defaultMode))
                }
            }
            return files
        }
    }

    private func objectFiles(_ isSecret: Bool, _ source: JSONValue, namespace: String, defaultMode: Int) async throws -> [AtomicDirectoryWriter.File] {
        let name = source[isSecret ? "secretName" : "name"]?.string ?? source["name"]?.string ?? ""
        let optional = source["optional"]?.bool ?? false
        guard let object = isSecret ? await secret(namespace, name) : await configMap(namespace, name) else {
            if optional { return [] }
            throw VolumeError("\(isSecret ? "secret" : "configmap") \"\(name)\" not found")
        }
        var data: [String: [UInt8]] = [:]
        for (key, value) in object["data"]?.object ?? [:] {
            guard let text = value.string else { continue }
            data[key] = isSecret ? Data(base64Encoded: text).map { Array($0) } ?? [] : Array(text.utf8)
        }
        for (key, value) in object["binaryData"]?.object ?? [:] {
            if let text = value.string, let bytes = Data(base64Encoded: text) { data[key] = Array(bytes) }
        }
        let mode = source["defaultMode"]?.int ?? defaultMode
        guard let items = source["items"]?.array, !items.isEmpty else {
            return data.keys.sorted().map { .init(path: $0, contents: data[$0] ?? [], mode: mode) }
        }
        return try items.compactMap { item in
            let key = item["key"]?.string ?? ""
            guard let bytes = data[key] else {
                if optional { return nil }
                throw VolumeError("configmap or secret \(namespace)/\(name) has no key \"\(key)\"")
            }
            return .init(path: item["path"]?.string ?? key, contents: bytes, mode: item["mode"]?.int ?? mode)
        }
    }

    private func downwardFiles(_ items: [JSONValue], pod: JSONValue, defaultMode: Int) throws -> [AtomicDirectoryWriter.File] {
        try items.map { item in
            let path = item["path"]?.string ?? ""
            var value = ""
            if let field = item[path: ["fieldRef", "fieldPath"]]?.string {
                switch field {
                case "metadata.labels", "metadata.annotations":
                    let map = field == "metadata.labels" ? pod.metadata.labels : pod.metadata.annotations
                    value = map.keys.sorted().map { "\($0)=\"\(map[$0] ?? "")\"" }.joined(separator: "\n")
                default:
                    do {
                        value = try EnvironmentResolver.fieldValue(field, pod: pod)
                    } catch {
                        throw VolumeError("downwardAPI item \(path): \(error)")
                    }
                }
            }
            return .init(path: path, contents: Array(value.utf8), mode: item["mode"]?.int ?? defaultMode)
        }
    }
}
