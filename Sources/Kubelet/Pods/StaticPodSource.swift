import Foundation
import KubeAPI
import Manifests
import PKI

/// Pods from the static pod folder (`staticPodPath`, /etc/kubernetes/manifests): how the control plane starts
/// before there is an API server. Each YAML or JSON file holds one Pod; the kubelet reads the folder again on every
/// sync, so a changed file restarts its pod and a removed file stops it.
public struct StaticPodSource: Sendable {
    public let directory: String
    public let nodeName: String

    public init(directory: String, nodeName: String) {
        self.directory = directory
        self.nodeName = nodeName
    }

    /// A file that could not become a pod, reported and skipped (the other pods still run).
    public struct FileError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "static pod manifest \(path): \(reason)" }
    }

    /// The pods of the folder now, sorted by file name, and the files that failed.
    public func scan() -> (pods: [JSONValue], errors: [FileError]) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        var pods: [JSONValue] = []
        var errors: [FileError] = []
        for name in names where !name.hasPrefix(".") {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            do {
                pods.append(try pod(fromFile: path))
            } catch let error as FileError {
                errors.append(error)
            } catch {
                errors.append(FileError(path: path, reason: "\(error)"))
            }
        }
        return (pods, errors)
    }

    /// One manifest as the kubelet runs it (upstream `applyDefaults` for file sources).
    public func pod(fromFile path: String) throws -> JSONValue {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw FileError(path: path, reason: "cannot be read")
        }
        let documents: [JSONValue]
        do {
            documents = try YAMLToJSON.documents(text)
        } catch {
            throw FileError(path: path, reason: "not valid YAML or JSON: \(error)")
        }
        guard documents.count == 1, var pod = documents.first, pod.object != nil else {
            throw FileError(path: path, reason: "must contain exactly one Pod")
        }
        guard (pod.kind ?? "Pod") == "Pod", (pod.apiVersion ?? "v1") == "v1" else {
            throw FileError(path: path, reason: "kind must be Pod and apiVersion v1 (got \(pod.kind ?? "") \(pod.apiVersion ?? ""))")
        }
        pod["apiVersion"] = "v1"
        pod["kind"] = "Pod"
        guard let baseName = pod.metadata.name, !baseName.isEmpty else {
            throw FileError(path: path, reason: "metadata.name is required")
        }
        try Self.applyDefaults(&pod, baseName: baseName, nodeName: nodeName, source: path)
        let errors = ObjectValidation.validateCreate(pod)
        guard errors.isEmpty else {
            throw FileError(path: path, reason: "invalid: " + errors.map(\.description).joined(separator: "; "))
        }
        return pod
    }

    /// Name `<name>-<node>`, namespace default, bound to this node, a UID derived from the content (so a kubelet
    /// restart recognises the pod it already runs and a changed file is a different pod), the config annotations,
    /// and a toleration of every NoExecute taint.
    static func applyDefaults(_ pod: inout JSONValue, baseName: String, nodeName: String, source: String) throws {
        ObjectDefaults.apply(to: &pod)
        var meta = pod.metadata
        meta.name = (baseName + "-" + nodeName).lowercased()
        if (meta.namespace ?? "").isEmpty { meta.namespace = "default" }
        meta.fields["uid"] = nil
        meta.fields["resourceVersion"] = nil
        pod.metadata = meta
        pod[path: ["spec", "nodeName"]] = .string(nodeName)
        var tolerations = pod[path: ["spec", "tolerations"]]?.array ?? []
        let allNoExecute: JSONValue = ["operator": "Exists", "effect": "NoExecute"]
        if !tolerations.contains(allNoExecute) { tolerations.append(allNoExecute) }
        pod[path: ["spec", "tolerations"]] = .array(tolerations)
        let hash = try contentHash(pod, nodeName: nodeName, source: source)
        meta = pod.metadata
        meta.uid = hash
        meta.annotations[configHashAnnotation] = hash
        meta.annotations[configSourceAnnotation] = "file"
        pod.metadata = meta
    }

    public static let configHashAnnotation = "kubernetes.io/config.hash"
    public static let configSourceAnnotation = "kubernetes.io/config.source"
    public static let configMirrorAnnotation = "kubernetes.io/config.mirror"
    public static let configSeenAnnotation = "kubernetes.io/config.seen"

    /// 32 hex characters of a SHA-256 over the node, the file and the pod as written, like upstream's md5 of the
    /// same inputs: stable across restarts, different for every change.
    static func contentHash(_ pod: JSONValue, nodeName: String, source: String) throws -> String {
        let input = Array("host:\(nodeName)file:\(source)".utf8) + pod.jsonBytes
        return String(try PKI.Digest.sha256Hex(input).prefix(32))
    }
}
