import Foundation
import KubeAPI
import Manifests

/// libcni's result cache: one file per attachment at `<stateDir>/results/<network>-<containerID>-<ifName>`,
/// holding the configuration ADD ran with, the runtime arguments and the final result (`"kind": "cniCacheV1"`).
///
/// The same format as libcni means `cnitool`-style tooling, containerd and our kubelet read each other's
/// entries, and DEL can run with exactly the configuration and `prevResult` of the ADD even after
/// /etc/cni/net.d changed or the kubelet restarted.
public struct CNIResultCache: Sendable {
    /// The `kind` libcni writes and requires.
    public static let kind = "cniCacheV1"

    /// One cached attachment.
    public struct Entry: Sendable, Equatable {
        /// The network (configuration list) name.
        public var networkName: String
        /// `CNI_CONTAINERID` of the ADD.
        public var containerID: String
        /// `CNI_IFNAME` of the ADD.
        public var ifName: String
        /// The namespace path ADD ran in.
        public var netns: String
        /// The network configuration list ADD ran with.
        public var config: [UInt8]
        /// `CNI_ARGS` of the ADD.
        public var cniArgs: [CNIArgument]
        /// The capability arguments of the ADD (`portMappings`), which DEL passes again.
        public var capabilityArgs: JSONObject
        /// The final ADD result (the last plugin's output).
        public var result: JSONValue?

        /// An entry as libcni writes it.
        public init(networkName: String, containerID: String, ifName: String, netns: String, config: [UInt8],
                    cniArgs: [CNIArgument], capabilityArgs: JSONObject, result: JSONValue?) {
            self.networkName = networkName
            self.containerID = containerID
            self.ifName = ifName
            self.netns = netns
            self.config = config
            self.cniArgs = cniArgs
            self.capabilityArgs = capabilityArgs
            self.result = result
        }

        /// The pod the attachment belongs to: `K8S_POD_UID` from its arguments, else the container ID.
        public var podUID: String { cniArgs.last { $0.key == "K8S_POD_UID" }?.value ?? containerID }

        /// The runtime arguments ADD used, with `netns` replaced (DEL passes the namespace's current state).
        func runtimeConf(netns: String) -> CNIRuntimeConf {
            CNIRuntimeConf(containerID: containerID, netns: netns, ifName: ifName, args: cniArgs, capabilityArgs: capabilityArgs)
        }
    }

    /// The `results` directory.
    public var directory: String

    /// - Parameters:
    ///   - stateDirectory: the CNI state directory (`/var/lib/cni`); entries go in its `results` subdirectory.
    public init(stateDirectory: String) {
        directory = stateDirectory + "/results"
    }

    /// The cache file of one attachment (libcni's naming).
    public func path(network: String, containerID: String, ifName: String) -> String {
        directory + "/\(network)-\(containerID)-\(ifName)"
    }

    /// Stores an attachment, replacing any earlier entry (mode 0600 in a 0700 directory, as libcni).
    public func store(_ entry: Entry) throws {
        var object: JSONValue = [
            "kind": .string(Self.kind),
            "containerId": .string(entry.containerID),
            // Go marshals the []byte config as base64; keep that so libcni can read our entries.
            "config": .string(Data(entry.config).base64EncodedString()),
            "ifName": .string(entry.ifName),
            "networkName": .string(entry.networkName),
        ]
        if !entry.netns.isEmpty { object["netns"] = .string(entry.netns) }
        if !entry.cniArgs.isEmpty { object["cniArgs"] = .array(entry.cniArgs.map { [.string($0.key), .string($0.value)] }) }
        if !entry.capabilityArgs.isEmpty { object["capabilityArgs"] = .object(entry.capabilityArgs) }
        if let result = entry.result { object["result"] = result }
        let file = path(network: entry.networkName, containerID: entry.containerID, ifName: entry.ifName)
        do {
            try AtomicFile.write(object.jsonString, to: file, mode: 0o600, directoryMode: 0o700)
        } catch {
            throw CNIError(.cacheFailure, "cannot write the CNI result cache \(file): \(error)",
                           hint: "check that \(directory) is writable")
        }
    }

    /// The entry of one attachment, or nil if there is none or it cannot be read (libcni then carries on
    /// without a cached result, and so do we).
    public func entry(network: String, containerID: String, ifName: String) -> Entry? {
        Self.decode(file: path(network: network, containerID: containerID, ifName: ifName))
    }

    /// Removes the entry of one attachment; a missing entry is fine.
    public func remove(network: String, containerID: String, ifName: String) {
        try? FileManager.default.removeItem(atPath: path(network: network, containerID: containerID, ifName: ifName))
    }

    /// Every readable entry, optionally only those of one container (libcni's `GetCachedAttachments`).
    /// - Parameters:
    ///   - containerID: the container to select, or nil for all.
    public func entries(containerID: String? = nil) -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().compactMap { Self.decode(file: directory + "/" + $0) }
            .filter { containerID == nil || $0.containerID == containerID }
    }

    /// Files in the directory that are not readable entries (left by a crash mid-write or another tool's bug);
    /// orphan cleanup removes them.
    func unreadableFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.map { directory + "/" + $0 }.filter { Self.decode(file: $0) == nil }
    }

    private static func decode(file: String) -> Entry? {
        guard let data = FileManager.default.contents(atPath: file), let object = try? JSONParser().parse(Array(data)),
              object["kind"]?.string == kind, let containerID = object["containerId"]?.string,
              let ifName = object["ifName"]?.string, let networkName = object["networkName"]?.string,
              !containerID.isEmpty, !ifName.isEmpty, !networkName.isEmpty
        else { return nil }
        let config = object["config"]?.string.flatMap { Data(base64Encoded: $0) }.map { Array($0) } ?? []
        let cniArgs = (object["cniArgs"]?.array ?? []).compactMap { pair -> CNIArgument? in
            guard let key = pair[0]?.string, let value = pair[1]?.string else { return nil }
            return CNIArgument(key, value)
        }
        return Entry(networkName: networkName, containerID: containerID, ifName: ifName, netns: object["netns"]?.string ?? "",
                     config: config, cniArgs: cniArgs, capabilityArgs: object["capabilityArgs"]?.object ?? [:],
                     result: object["result"])
    }
}
