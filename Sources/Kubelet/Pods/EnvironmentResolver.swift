import Foundation
import KubeAPI

/// A container's environment, as upstream's `makeEnvironmentVariables` builds it: `envFrom` sources first, then
/// `env` in order with `$(VAR)` references expanded against what came before; values from the pod's own fields,
/// its resources, ConfigMaps and Secrets; the `KUBERNETES_SERVICE_*` variables of the API server's Service.
public struct EnvironmentResolver: Sendable {
    /// Reads a ConfigMap or Secret (namespace, name); nil when it does not exist.
    public typealias Lookup = @Sendable (String, String) async -> JSONValue?

    public var configMap: Lookup
    public var secret: Lookup
    /// `KUBERNETES_SERVICE_HOST`/`_PORT` and friends, from the `default/kubernetes` Service.
    public var serviceVariables: [(String, String)]
    /// The node's allocatable cpu and memory, used by resourceFieldRef when a limit is not set.
    public var nodeAllocatable: [String: String]

    public init(configMap: @escaping Lookup, secret: @escaping Lookup, serviceVariables: [(String, String)] = [],
                nodeAllocatable: [String: String] = [:]) {
        self.configMap = configMap; self.secret = secret; self.serviceVariables = serviceVariables
        self.nodeAllocatable = nodeAllocatable
    }

    /// Why a container cannot start yet (a missing required ConfigMap key, say); reported as
    /// `CreateContainerConfigError` with this message.
    public struct ConfigError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The ordered environment of `container` in `pod` (whose status carries the IPs once known).
    public func environment(for container: JSONValue, in pod: JSONValue) async throws -> [(String, String)] {
        var result: [(String, String)] = []
        var index: [String: Int] = [:]
        func set(_ name: String, _ value: String) {
            if let at = index[name] { result[at].1 = value } else { index[name] = result.count; result.append((name, value)) }
        }
        let namespace = pod.metadata.namespace ?? "default"
        // The API server's variables are set whatever enableServiceLinks says (as upstream does for the master
        // service); other services' link variables are not generated.
        for (name, value) in serviceVariables { set(name, value) }
        for source in container["envFrom"]?.array ?? [] {
            let prefix = source["prefix"]?.string ?? ""
            let (kind, reference) = source["configMapRef"].map { ("configmap", $0) } ?? ("secret", source["secretRef"] ?? .null)
            let name = reference["name"]?.string ?? ""
            let optional = reference["optional"]?.bool ?? false
            guard let object = kind == "configmap" ? await configMap(namespace, name) : await secret(namespace, name) else {
                if optional { continue }
                throw ConfigError(description: "\(kind) \"\(name)\" not found")
            }
            for (key, value) in (object["data"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
                // Keys that are not valid variable names are skipped, as upstream does (with an event).
                guard Self.isValidName(prefix + key), let text = decode(value, secret: kind == "secret") else { continue }
                set(prefix + key, text)
            }
        }
        for variable in container["env"]?.array ?? [] {
            guard let name = variable["name"]?.string else { continue }
            if let source = variable["valueFrom"] {
                if let value = try await valueFrom(source, container: container, pod: pod, namespace: namespace) { set(name, value) }
            } else {
                let current = Dictionary(result, uniquingKeysWith: { $1 })
                set(name, Self.expand(variable["value"]?.string ?? "", with: current))
            }
        }
        return result
    }

    private func decode(_ value: JSONValue, secret: Bool) -> String? {
        guard let text = value.string else { return nil }
        guard secret else { return text }
        return Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) }
    }

    private func valueFrom(_ source: JSONValue, container: JSONValue, pod: JSONValue, namespace: String) async throws -> String? {
        if let field = source[path: ["fieldRef", "fieldPath"]]?.string {
            return try Self.fieldValue(field, pod: pod)
        }
        if let resource = source["resourceFieldRef"] {
            return try resourceValue(resource, container: container, pod: pod)
        }
        for (key, isSecret) in [("configMapKeyRef", false), ("secretKeyRef", true)] {
            guard let reference = source[key] else { continue }
            let name = reference["name"]?.string ?? ""
            let item = reference["key"]?.string ?? ""
            let optional = reference["optional"]?.bool ?? false
            let kind = isSecret ? "secret" : "configmap"
            guard let object = isSecret ? await secret(namespace, name) : await configMap(namespace, name) else {
                if optional { return nil }
                throw ConfigError(description: "\(kind) \"\(name)\" not found")
            }
            guard let value = object["data"]?[item].flatMap({ decode($0, secret: isSecret) }) else {
                if optional { return nil }
                throw ConfigError(description: "couldn't find key \(item) in \(isSecret ? "Secret" : "ConfigMap") \(namespace)/\(name)")
            }
            return value
        }
        return nil
    }

    /// The downward API fields an environment variable may read (upstream `podFieldSelectorRuntimeValue`).
    public static func fieldValue(_ path: String, pod: JSONValue) throws -> String {
        let meta = pod.metadata
        switch path {
        case "metadata.name": return meta.name ?? ""
        case "metadata.namespace": return meta.namespace ?? ""
        case "metadata.uid": return meta.uid ?? ""
        case "spec.nodeName": return pod[path: ["spec", "nodeName"]]?.string ?? ""
        case "spec.serviceAccountName": return pod[path: ["spec", "serviceAccountName"]]?.string ?? ""
        case "status.hostIP": return pod[path: ["status", "hostIP"]]?.string ?? ""
        case "status.hostIPs": return (pod[path: ["status", "hostIPs"]]?.array ?? []).compactMap { $0["ip"]?.string }.joined(separator: ",")
        case "status.podIP": return pod[path: ["status", "podIP"]]?.string ?? ""
        case "status.podIPs": return (pod[path: ["status", "podIPs"]]?.array ?? []).compactMap { $0["ip"]?.string }.joined(separator: ",")
        default: break
        }
        for (prefix, map) in [("metadata.labels['", meta.labels), ("metadata.annotations['", meta.annotations)] where path.hasPrefix(prefix) && path.hasSuffix("']") {
            let key = String(path.dropFirst(prefix.count).dropLast(2))
            return map[key] ?? ""
        }
        throw ConfigError(description: "unsupported fieldRef \(path)")
    }

    private func resourceValue(_ reference: JSONValue, container: JSONValue, pod: JSONValue) throws -> String {
        let resource = reference["resource"]?.string ?? ""
        var target = container
        if let name = reference["containerName"]?.string, !name.isEmpty {
            target = (pod[path: ["spec", "containers"]]?.array ?? []).first { $0["name"]?.string == name } ?? container
        }
        let parts = resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["limits", "requests"].contains(parts[0]) else {
            throw ConfigError(description: "unsupported resourceFieldRef \(resource)")
        }
        let raw = target[path: ["resources", parts[0], parts[1]]]?.string
            ?? (parts[0] == "limits" ? nodeAllocatable[parts[1]] : nil) ?? "0"
        let divisorText = reference["divisor"]?.string ?? reference["divisor"]?.int.map(String.init) ?? "1"
        do {
            let value = try Quantity(parsing: raw)
            let divisor = try Quantity(parsing: divisorText)
            guard divisor.doubleValue > 0 else { throw ConfigError(description: "divisor of \(resource) must be positive") }
            // Upstream rounds up: a 500m cpu limit is 1 with the default divisor.
            return String(Int64((value.doubleValue / divisor.doubleValue).rounded(.up)))
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(description: "resourceFieldRef \(resource): \(error)")
        }
    }

    /// Upstream's C_IDENTIFIER-like rule for environment variable names: `[-._a-zA-Z][-._a-zA-Z0-9]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first == "-" || first == "." || first == "_" || first.properties.isAlphabetic
        else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "-" || $0 == "." || $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    /// `$(VAR)` expansion as upstream's `expansion.Expand`: `$$` escapes, unknown references stay as written.
    public static func expand(_ text: String, with variables: [String: String]) -> String {
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            let next = text.index(after: index)
            guard char == "$", next < text.endIndex else {
                out.append(char)
                index = next
                continue
            }
            if text[next] == "$" {
                out.append("$")
                index = text.index(after: next)
            } else if text[next] == "(", let close = text[next...].firstIndex(of: ")") {
                let name = String(text[text.index(after: next)..<close])
                out += variables[name] ?? "$(\(name))"
                index = text.index(after: close)
            } else {
                out.append(char)
                index = next
            }
        }
        return out
    }
}
