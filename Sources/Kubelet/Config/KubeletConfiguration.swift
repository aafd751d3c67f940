import Foundation
import KubeAPI
import Manifests

/// The subset of KubeletConfiguration (kubelet.config.k8s.io/v1beta1) this kubelet acts on, with upstream's
/// defaults for what the file leaves out.
public struct KubeletConfiguration: Sendable, Equatable {
    public var staticPodPath = ""
    public var cgroupRoot = "/"
    public var clusterDNS: [String] = []
    public var clusterDomain = ""
    /// The node's resolver file that `dnsPolicy: Default` pods get (upstream default).
    public var resolvConf = "/etc/resolv.conf"
    public var maxPods = 110
    public var address = "0.0.0.0"
    public var port = WellKnown.kubeletPort
    public var healthzBindAddress = "127.0.0.1"
    public var healthzPort = WellKnown.kubeletHealthzPort
    public var clientCAFile = ""
    public var anonymousAuth = false
    public var webhookAuthentication = true
    public var authorizationMode = "Webhook"
    public var rotateCertificates = false
    public var podCIDR = ""
    public var nodeStatusUpdateFrequency: Duration = .seconds(10)
    public var nodeLeaseDurationSeconds = 40
    public var tlsCertFile = ""
    public var tlsPrivateKeyFile = ""

    public init() {}

    /// Reads a config file.
    /// - Throws: `KubeletOptionsError` naming the file and the field at fault.
    public init(file: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw KubeletOptionsError("cannot read the kubelet config \(file): \(error.localizedDescription)")
        }
        do {
            try self.init(yaml: text)
        } catch let error as KubeletOptionsError {
            throw KubeletOptionsError("\(file): \(error.description)")
        }
    }

    public init(yaml: String) throws {
        let documents: [JSONValue]
        do {
            documents = try YAMLToJSON.documents(yaml)
        } catch {
            throw KubeletOptionsError("not valid YAML: \(error)")
        }
        guard let config = documents.first, config.object != nil else { return }
        if let kind = config.kind, kind != "KubeletConfiguration" {
            throw KubeletOptionsError("kind is \(kind), expected KubeletConfiguration")
        }
        if let version = config.apiVersion, version != WellKnown.kubeletConfigAPIVersion {
            throw KubeletOptionsError("apiVersion is \(version), expected \(WellKnown.kubeletConfigAPIVersion)")
        }
        func string(_ path: [String]) -> String? { config[path: path]?.string }
        func int(_ path: [String]) throws -> Int? {
            guard let value = config[path: path] else { return nil }
            if let number = value.int { return number }
            if let text = value.string, let number = Int(text) { return number }
            throw KubeletOptionsError("\(path.joined(separator: ".")) must be an integer")
        }
        staticPodPath = string(["staticPodPath"]) ?? staticPodPath
        cgroupRoot = string(["cgroupRoot"]).flatMap { $0.isEmpty ? nil : $0 } ?? cgroupRoot
        clusterDNS = (config["clusterDNS"]?.array ?? []).compactMap(\.string)
        clusterDomain = string(["clusterDomain"]) ?? clusterDomain
        resolvConf = string(["resolvConf"]) ?? resolvConf
        maxPods = try int(["maxPods"]) ?? maxPods
        address = string(["address"]) ?? address
        port = try int(["port"]) ?? port
        healthzBindAddress = string(["healthzBindAddress"]) ?? healthzBindAddress
        healthzPort = try int(["healthzPort"]) ?? healthzPort
        clientCAFile = string(["authentication", "x509", "clientCAFile"]) ?? clientCAFile
        anonymousAuth = config[path: ["authentication", "anonymous", "enabled"]]?.bool ?? anonymousAuth
        webhookAuthentication = config[path: ["authentication", "webhook", "enabled"]]?.bool ?? webhookAuthentication
        authorizationMode = string(["authorization", "mode"]) ?? authorizationMode
        rotateCertificates = config["rotateCertificates"]?.bool ?? rotateCertificates
        podCIDR = string(["podCIDR"]) ?? podCIDR
        tlsCertFile = string(["tlsCertFile"]) ?? tlsCertFile
        tlsPrivateKeyFile = string(["tlsPrivateKeyFile"]) ?? tlsPrivateKeyFile
        if let text = string(["nodeStatusUpdateFrequency"]) {
            guard let duration = (try? GoDuration(parsing: text))?.seconds else {
                throw KubeletOptionsError("nodeStatusUpdateFrequency \"\(text)\" is not a duration such as 10s")
            }
            nodeStatusUpdateFrequency = .milliseconds(Int64(duration * 1000))
        }
        nodeLeaseDurationSeconds = try int(["nodeLeaseDurationSeconds"]) ?? nodeLeaseDurationSeconds
        guard (1...65535).contains(port), (0...65535).contains(healthzPort) else {
            throw KubeletOptionsError("port and healthzPort must be valid port numbers")
        }
        guard ["Webhook", "AlwaysAllow"].contains(authorizationMode) else {
            throw KubeletOptionsError("authorization.mode \"\(authorizationMode)\" is not supported; use Webhook or AlwaysAllow")
        }
    }
}
