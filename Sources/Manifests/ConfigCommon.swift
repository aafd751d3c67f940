import Foundation

extension CodingUserInfoKey {
    /// The `apiVersion` of the document being decoded; a few fields changed shape between v1beta3 and v1beta4.
    public static let kubeadmAPIVersion = CodingUserInfoKey(rawValue: "kubeadm.apiVersion")!
}

/// One command-line argument as v1beta4 writes it (`{name, value}`); duplicates are allowed.
public struct Arg: Codable, Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// A list of `Arg`s. v1beta4 writes a list; v1beta3 wrote a map, which is read (sorted by name) only in v1beta3 documents.
public struct ExtraArgs: Codable, Sendable, Hashable, ExpressibleByArrayLiteral {
    public var args: [Arg]
    public init(_ args: [Arg] = []) { self.args = args }
    public init(arrayLiteral elements: Arg...) { self.args = elements }

    public init(from decoder: any Decoder) throws {
        if let list = try? decoder.unkeyedContainer() {
            var list = list
            var args: [Arg] = []
            while !list.isAtEnd { args.append(try list.decode(Arg.self)) }
            self.args = args
            return
        }
        let version = decoder.userInfo[.kubeadmAPIVersion] as? String
        guard version == WellKnown.v1beta3 else {
            throw DecodingError.typeMismatch([Arg].self, .init(codingPath: decoder.codingPath,
                debugDescription: "\(WellKnown.v1beta4) expects a list of {name, value}; the map form is v1beta3 only"))
        }
        let map = try decoder.singleValueContainer().decode([String: String].self)
        self.args = map.keys.sorted().map { Arg(name: $0, value: map[$0] ?? "") }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(args)
    }

    public var isEmpty: Bool { args.isEmpty }
}

public struct EnvVar: Codable, Sendable, Hashable {
    public var name: String
    public var value: String?
}

public struct HostPathMount: Codable, Sendable, Hashable {
    public var name: String
    public var hostPath: String
    public var mountPath: String
    public var readOnly: Bool?
    public var pathType: String?
}

public struct Taint: Codable, Sendable, Hashable {
    public var key: String
    public var value: String?
    public var effect: String
    public var timeAdded: String?
    public init(key: String, value: String? = nil, effect: String, timeAdded: String? = nil) {
        self.key = key; self.value = value; self.effect = effect; self.timeAdded = timeAdded
    }
}

public struct APIEndpoint: Codable, Sendable, Hashable {
    public var advertiseAddress: String?
    public var bindPort: Int?
    public init(advertiseAddress: String? = nil, bindPort: Int? = nil) {
        self.advertiseAddress = advertiseAddress; self.bindPort = bindPort
    }
}

public struct NodeRegistrationOptions: Codable, Sendable, Hashable {
    public var name: String?
    public var criSocket: String?
    /// nil means "the control-plane taint on control-plane nodes"; an empty list means no taints.
    public var taints: [Taint]?
    public var kubeletExtraArgs: ExtraArgs?
    public var ignorePreflightErrors: [String]?
    public var imagePullPolicy: String?
    public var imagePullSerial: Bool?
    public init() {}
}

public struct Timeouts: Codable, Sendable, Hashable {
    public var controlPlaneComponentHealthCheck: GoDuration?
    public var kubeletHealthCheck: GoDuration?
    public var kubernetesAPICall: GoDuration?
    public var etcdAPICall: GoDuration?
    public var tlsBootstrap: GoDuration?
    public var discovery: GoDuration?
    public var upgradeManifests: GoDuration?
    public init() {}
}

public struct Patches: Codable, Sendable, Hashable {
    public var directory: String?
}

/// A bootstrap token as the config API writes it (`token`, `ttl`, `usages`, `groups`, ...).
public struct BootstrapToken: Codable, Sendable, Hashable {
    public var token: String?
    public var description: String?
    public var ttl: GoDuration?
    public var expires: String?
    public var usages: [String]?
    public var groups: [String]?
    public init() {}
}
