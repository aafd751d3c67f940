import Foundation

/// One row of `kubeadm certs check-expiration`.
public struct CertExpiry: Sendable, Equatable {
    /// Row name: `CertSpec.name` (e.g. `"etcd-server"`, `"ca"`); the lead adds `*.conf` rows.
    public var name: String
    /// Certificate end of validity.
    public var notAfter: Date
    /// `EXPIRES` column, e.g. `Aug 19, 2026 09:03 UTC`.
    public var expires: String
    /// `RESIDUAL TIME` column, e.g. `364d`, `9y`, or `<invalid>` once expired.
    public var residual: String
    /// `CERTIFICATE AUTHORITY` column: the signing CA's name; empty for CA rows.
    public var caName: String
    /// `EXTERNALLY MANAGED` column: the relevant CA key is absent (external CA mode).
    public var externallyManaged: Bool

    /// Builds a row, deriving the formatted columns.
    /// - Parameters:
    ///   - name: Row name.
    ///   - notAfter: End of validity.
    ///   - caName: Signing CA name, empty for CAs.
    ///   - externallyManaged: Whether the CA key is absent.
    ///   - now: Reference time for the residual column.
    public init(name: String, notAfter: Date, caName: String, externallyManaged: Bool, now: Date) {
        self.name = name
        self.notAfter = notAfter
        self.expires = Self.formatDate(notAfter)
        self.residual = Self.shortHumanDuration(notAfter.timeIntervalSince(now))
        self.caName = caName
        self.externallyManaged = externallyManaged
    }

    /// Formats a date as kubeadm does (Go layout `Jan 02, 2006 15:04 MST` in UTC): `Aug 19, 2026 09:03 UTC`.
    public static func formatDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = months[Int(parts.tm_mon) % 12]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(month) \(two(parts.tm_mday)), \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }

    /// Kubernetes' `duration.ShortHumanDuration`: the largest whole unit (s, m, h, d, y; a day is 24h
    /// and a year 365d); `<invalid>` for more than a second in the past, `0s` for "just now".
    public static func shortHumanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded(.towardZero))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 24 { return "\(hours)h" }
        if hours < 24 * 365 { return "\(hours / 24)d" }
        return "\(hours / 24 / 365)y"
    }
}

/// The two tables of `kubeadm certs check-expiration` (certificate-file rows only).
public struct CertExpirationReport: Sendable, Equatable {
    /// Leaf rows, sorted by name.
    public var certificates: [CertExpiry]
    /// CA rows, sorted by name.
    public var authorities: [CertExpiry]
    /// Files that could not be read, one line each (`<path>: <reason>`); they produce no row.
    public var problems: [String]
}

extension CertStore {
    /// Reads every certificate in `specs` and builds the expiration rows.
    ///
    /// A leaf is "externally managed" when its CA has no key on disk, as is a CA without its key.
    /// Unreadable files do not abort the report; they are listed in `problems`.
    /// - Parameters:
    ///   - specs: Certificates to report (`CertTree.specs(includeEtcd:)`).
    ///   - now: Reference time for the residual column.
    public func checkExpiration(specs: [CertSpec], now: Date = Date()) -> CertExpirationReport {
        var report = CertExpirationReport(certificates: [], authorities: [], problems: [])
        var keylessCAs: Set<String> = []
        for spec in CertTree.all where spec.isCA {
            if !FileManager.default.fileExists(atPath: paths(for: spec).key.path) { keylessCAs.insert(spec.name) }
        }
        for spec in specs {
            let certificate: Certificate
            do {
                guard let loaded = try readCertificate(spec) else {
                    report.problems.append("\(paths(for: spec).cert.path): certificate does not exist")
                    continue
                }
                certificate = loaded
            } catch {
                report.problems.append(String(describing: error))
                continue
            }
            let row = CertExpiry(
                name: spec.name, notAfter: certificate.notAfter, caName: spec.caName ?? "",
                externallyManaged: keylessCAs.contains(spec.caName ?? spec.name), now: now)
            if spec.isCA { report.authorities.append(row) } else { report.certificates.append(row) }
        }
        report.certificates.sort { $0.name < $1.name }
        report.authorities.sort { $0.name < $1.name }
        return report
    }
}
