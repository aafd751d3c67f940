import Foundation
import Manifests

/// The address reservations of the host-local IPAM plugin: one file per address at
/// `<dataDir>/<network>/<ip>`, holding the container ID and interface name (`"<id>\r\n<ifname>"`, older plugins
/// just `"<id>"`). Next to them host-local keeps `lock` and `last_reserved_ip.<range>`, which are not reservations.
public struct HostLocalReservations: Sendable {
    /// One reserved address.
    public struct Reservation: Sendable, Hashable {
        /// The reserved address (the file name).
        public var ip: String
        /// The container that holds it (the pod UID for our pods).
        public var containerID: String
        /// The interface, where host-local recorded it.
        public var ifName: String?
        /// The reservation file.
        public var path: String
    }

    /// host-local's `dataDir` (`/var/lib/cni/networks`).
    public var dataDirectory: String

    /// - Parameters:
    ///   - dataDirectory: host-local's `dataDir`.
    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The reservations of `network`, sorted by file name; none if the network has no directory.
    /// - Parameters:
    ///   - network: the network name (the directory name under the data directory).
    public func reservations(network: String) -> [Reservation] {
        let directory = dataDirectory + "/" + network
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { name in
            // Only files named like an address are reservations.
            guard IPAddress(name) != nil, let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
            let lines = String(decoding: data, as: UTF8.self)
                .split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard let containerID = lines.first else { return nil }
            return Reservation(ip: name, containerID: containerID, ifName: lines.dropFirst().first, path: directory + "/" + name)
        }
    }

    /// Releases one reservation by removing its file (what host-local's DEL does); a missing file is fine.
    public func release(_ reservation: Reservation) throws {
        guard FileManager.default.fileExists(atPath: reservation.path) else { return }
        try FileManager.default.removeItem(atPath: reservation.path)
    }
}
