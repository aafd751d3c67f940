import Dispatch
import Foundation

/// What `CertStore.ensure` did for one certificate (or the service-account key).
public struct CertFileEvent: Sendable, Equatable {
    /// The outcome.
    public enum Kind: Sendable, Equatable {
        /// A new key and certificate were written.
        case generated
        /// Existing valid files were kept unchanged.
        case reused
        /// A CA certificate without its key was found (external CA mode) and kept.
        case reusedKeylessCA
    }

    /// The outcome.
    public var kind: Kind
    /// `CertSpec.name`, or `"sa"` for the service-account key pair.
    public var name: String
    /// The certificate (or `sa.pub`) path.
    public var certPath: String
    /// The key (or `sa.key`) path.
    public var keyPath: String
}

/// Reads, validates and writes kubeadm's certificate tree under a certificates directory
/// (`/etc/kubernetes/pki` by default).
///
/// `ensure` is idempotent: valid existing files are reused byte-for-byte, missing ones are created,
/// and anything inconsistent (mismatched key, foreign CA, missing SAN, corrupt PEM, half a pair) is
/// reported with the file name and the fix, before anything is written.
public struct CertStore: Sendable {
    /// The certificates directory.
    public let directory: URL

    /// Creates a store rooted at `directory` (nothing is touched until a method is called).
    public init(directory: URL) {
        self.directory = directory
    }

    /// Certificate and key paths of `spec` (`<dir>/<baseName>.crt`, `.key`).
    public func paths(for spec: CertSpec) -> (cert: URL, key: URL) {
        (
            directory.appendingPathComponent(spec.baseName + ".crt"),
            directory.appendingPathComponent(spec.baseName + ".key")
        )
    }

    /// Paths of the service-account signing key pair (`sa.key`, `sa.pub`).
    public var serviceAccountKeyPaths: (key: URL, pub: URL) {
        (directory.appendingPathComponent("sa.key"), directory.appendingPathComponent("sa.pub"))
    }

    // MARK: ensure

    /// Creates missing certificates and validates existing ones, printing kubeadm's `[certs]` lines.
    ///
    /// New keys are generated in parallel before any signing, since RSA key generation dominates
    /// the run time. All validation happens before the first write.
    /// - Parameters:
    ///   - specs: Certificates to ensure, CAs before their leaves (`CertTree.specs(includeEtcd:)`, or a
    ///     single spec for `init phase certs <name>`; a CA not in the list is loaded from disk).
    ///   - input: Cluster facts; `input.now` is also the time existing certificates are checked against.
    ///   - includeServiceAccountKey: Also ensure `sa.key`/`sa.pub` (as `certs all` does), generated
    ///     in the same parallel batch with `input.algorithm`.
    ///   - onLine: Receives each console line, in kubeadm's order.
    /// - Returns: One event per certificate (and for `sa` if requested).
    @discardableResult
    public func ensure(
        specs: [CertSpec], input: CertTreeInput, includeServiceAccountKey: Bool = false,
        onLine: (String) -> Void = { _ in }
    ) throws -> [CertFileEvent] {
        let plan = try makePlan(specs: specs, input: input)
        let serviceAccount = includeServiceAccountKey ? try planServiceAccountKey() : nil

        var algorithms = plan.steps.compactMap { step -> KeyAlgorithm? in
            if case .generate = step.action { return input.algorithm }
            return nil
        }
        if case .generate = serviceAccount { algorithms.append(input.algorithm) }
        var keys = try Self.generateKeys(algorithms)[...]

        var events: [CertFileEvent] = []
        var authorities = plan.authorities
        for step in plan.steps {
            events.append(try execute(step, keys: &keys, authorities: &authorities, onLine: onLine))
        }
        if let serviceAccount {
            events.append(try executeServiceAccount(serviceAccount, newKey: keys.popFirst(), onLine: onLine))
        }
        return events
    }

    /// Ensures the service-account signing key pair (`sa.key` 0600, `sa.pub` PKIX `PUBLIC KEY` 0600).
    ///
    /// An existing `sa.key` is kept ("Using the existing "sa" key"); a missing `sa.pub` is re-derived
    /// from it, and a `sa.pub` that belongs to another key is an error.
    /// - Parameters:
    ///   - algorithm: Algorithm for a new key. kubeadm passes `encryptionAlgorithm` here.
    ///   - onLine: Receives the console line.
    @discardableResult
    public func ensureServiceAccountKey(algorithm: KeyAlgorithm, onLine: (String) -> Void = { _ in }) throws -> CertFileEvent {
        let plan = try planServiceAccountKey()
        var newKey: PrivateKey?
        if case .generate = plan { newKey = try PrivateKey.generate(algorithm) }
        return try executeServiceAccount(plan, newKey: newKey, onLine: onLine)
    }

    // MARK: load

    /// Loads and cross-checks a certificate and its key.
    /// - Throws: `PKIError` naming the missing, corrupt or mismatched file.
    public func load(_ spec: CertSpec) throws -> (certificate: Certificate, key: PrivateKey) {
        let (certURL, keyURL) = paths(for: spec)
        guard let certificate = try readCertificate(spec) else {
            throw PKIError(.missingFile, "certificate \"\(spec.baseName)\" does not exist; \(createHint(spec))", path: certURL.path)
        }
        guard let key = try readKey(spec) else {
            throw PKIError(.missingFile, "private key \"\(spec.baseName)\" does not exist; \(createHint(spec))", path: keyURL.path)
        }
        try checkMatch(spec, certificate, key)
        return (certificate, key)
    }

    /// Loads a certificate authority; the key is `nil` when only the certificate exists (external CA mode).
    /// - Parameter name: CA spec name (`"ca"`, `"front-proxy-ca"`, `"etcd-ca"`).
    public func loadCA(named name: String) throws -> (certificate: Certificate, key: PrivateKey?) {
        guard let spec = CertTree.spec(named: name), spec.isCA else {
            throw PKIError(.invalidArgument, "'\(name)' is not a kubeadm certificate authority (expected ca, front-proxy-ca or etcd-ca)")
        }
        let (certURL, keyURL) = paths(for: spec)
        guard let certificate = try readCertificate(spec) else {
            throw PKIError(.missingFile, "certificate authority \"\(spec.baseName)\" does not exist; \(createHint(spec))", path: certURL.path)
        }
        guard let key = try readKey(spec) else { return (certificate, nil) }
        _ = keyURL
        try checkMatch(spec, certificate, key)
        return (certificate, key)
    }

    // MARK: Planning

    /// A CA's material during a run: loaded from disk, or to be generated by an earlier step.
    enum Authority {
        case existing(Certificate, PrivateKey?)
        case pending
    }

    struct Step {
        enum Action {
            case reuse(keyless: Bool)
            case generate(CertificateConfig)
        }
        let spec: CertSpec
        let action: Action
        let warnings: [String]
    }

    struct Plan {
        var steps: [Step] = []
        var authorities: [String: Authority] = [:]
    }

    /// Inspects every spec and decides reuse or generate; throws on the first inconsistency, so
    /// nothing is written when the directory is in a state we cannot build on.
    func makePlan(specs: [CertSpec], input: CertTreeInput) throws -> Plan {
        var plan = Plan()
        for spec in specs {
            let (config, warnings) = spec.configWithWarnings(input)
            let (certURL, keyURL) = paths(for: spec)
            let certificate = try readCertificate(spec)
            let key = try readKey(spec)

            if spec.isCA {
                switch (certificate, key) {
                case let (certificate?, key?):
                    try checkMatch(spec, certificate, key)
                    try checkIsCA(spec, certificate)
                    plan.authorities[spec.name] = .existing(certificate, key)
                    plan.steps.append(Step(spec: spec, action: .reuse(keyless: false), warnings: warnings + caExpiryWarning(spec, certificate, input.now)))
                case let (certificate?, nil):
                    try checkIsCA(spec, certificate)
                    plan.authorities[spec.name] = .existing(certificate, nil)
                    plan.steps.append(Step(spec: spec, action: .reuse(keyless: true), warnings: warnings + caExpiryWarning(spec, certificate, input.now)))
                case (nil, _?):
                    throw PKIError(
                        .missingFile,
                        "certificate is missing but its private key \(keyURL.path) exists; restore the certificate, or remove the key to have a new CA generated",
                        path: certURL.path)
                case (nil, nil):
                    plan.authorities[spec.name] = .pending
                    plan.steps.append(Step(spec: spec, action: .generate(config), warnings: warnings))
                }
                continue
            }

            let caName = spec.caName ?? ""
            let authority = try plan.authorities[caName] ?? loadAuthorityForLeaf(spec)
            plan.authorities[caName] = authority
            switch (certificate, key) {
            case let (certificate?, key?):
                try checkMatch(spec, certificate, key)
                try validateLeaf(spec, certificate, config: config, authority: authority, now: input.now)
                plan.steps.append(Step(spec: spec, action: .reuse(keyless: false), warnings: warnings))
            case (_?, nil):
                throw PKIError(
                    .missingFile,
                    "private key is missing but its certificate \(certURL.path) exists; restore the key, or remove the certificate to have both regenerated",
                    path: keyURL.path)
            case (nil, _?):
                throw PKIError(
                    .missingFile,
                    "certificate is missing but its private key \(keyURL.path) exists; restore the certificate, or remove the key to have both regenerated",
                    path: certURL.path)
            case (nil, nil):
                if case .existing(_, nil) = authority, let caSpec = CertTree.spec(named: caName) {
                    throw PKIError(
                        .externalCA,
                        "certificate is missing and cannot be generated: the \"\(caSpec.baseName)\" certificate authority has no private key "
                            + "(\(paths(for: caSpec).key.path) is absent, i.e. external CA mode); create \(certURL.path) and \(keyURL.path) "
                            + "with your external CA, or provide the CA key",
                        path: certURL.path)
                }
                plan.steps.append(Step(spec: spec, action: .generate(config), warnings: warnings))
            }
        }
        return plan
    }

    /// Loads the CA of a leaf whose CA is not part of this run (single-phase runs).
    private func loadAuthorityForLeaf(_ spec: CertSpec) throws -> Authority {
        guard let caSpec = spec.caName.flatMap(CertTree.spec(named:)) else {
            throw PKIError(.invalidArgument, "certificate \"\(spec.baseName)\" names an unknown CA")
        }
        guard let certificate = try readCertificate(caSpec) else {
            throw PKIError(
                .missingFile,
                "the \"\(caSpec.baseName)\" certificate authority needed to sign \"\(spec.baseName)\" does not exist; "
                    + "create it first (kubeadm init phase certs \(caSpec.phaseName))",
                path: paths(for: caSpec).cert.path)
        }
        let key = try readKey(caSpec)
        if let key { try checkMatch(caSpec, certificate, key) }
        try checkIsCA(caSpec, certificate)
        return .existing(certificate, key)
    }

    /// Checks an existing leaf against its CA, the clock and the required SANs.
    private func validateLeaf(_ spec: CertSpec, _ certificate: Certificate, config: CertificateConfig, authority: Authority, now: Date) throws {
        let (certURL, _) = paths(for: spec)
        guard let caSpec = spec.caName.flatMap(CertTree.spec(named:)) else { return }
        let caPath = paths(for: caSpec).cert.path
        switch authority {
        case .pending:
            throw PKIError(
                .notSignedByCA,
                "certificate exists, but its certificate authority \"\(caSpec.baseName)\" is being generated now because \(caPath) "
                    + "was missing, so it cannot have signed it; restore the CA files, or \(removeHint(spec))",
                path: certURL.path)
        case .existing(let caCertificate, _):
            guard certificate.isSignedBy(caCertificate) else {
                throw PKIError(
                    .notSignedByCA,
                    "certificate is not signed by the \"\(caSpec.baseName)\" certificate authority (\(caPath)); \(removeHint(spec)) with the current CA",
                    path: certURL.path)
            }
        }
        guard certificate.notAfter >= now else {
            throw PKIError(
                .expired,
                "certificate expired on \(CertExpiry.formatDate(certificate.notAfter)); renew it (kubeadm certs renew \(spec.name)), or \(removeHint(spec))",
                path: certURL.path)
        }
        guard certificate.notBefore <= now else {
            throw PKIError(
                .expired,
                "certificate is not valid before \(CertExpiry.formatDate(certificate.notBefore)); check the system clock, or \(removeHint(spec))",
                path: certURL.path)
        }
        let presentIPs = Set(certificate.ipAddresses)
        let missing = config.dnsNames.filter { !certificate.dnsNames.contains($0) }.map { "DNS:" + $0 }
            + config.ipAddresses.filter { !presentIPs.contains($0) }.map { "IP:" + $0 }
        guard missing.isEmpty else {
            throw PKIError(
                .missingSAN,
                "certificate lacks required subject alternative names [\(missing.joined(separator: " "))] (it has DNS names "
                    + "[\(certificate.dnsNames.joined(separator: " "))] and IPs [\(certificate.ipAddresses.joined(separator: " "))]); "
                    + "\(removeHint(spec)) with the current configuration",
                path: certURL.path)
        }
    }

    // MARK: Executing

    /// Performs one planned step: prints its lines and, for `.generate`, signs and writes the pair.
    private func execute(
        _ step: Step, keys: inout ArraySlice<PrivateKey>, authorities: inout [String: Authority], onLine: (String) -> Void
    ) throws -> CertFileEvent {
        let spec = step.spec
        let (certURL, keyURL) = paths(for: spec)
        for warning in step.warnings { onLine(warning) }
        switch step.action {
        case .reuse(let keyless):
            if spec.isCA {
                onLine("[certs] Using existing \(spec.baseName) \(keyless ? "keyless " : "")certificate authority")
            } else {
                onLine("[certs] Using existing \(spec.baseName) certificate and key on disk")
            }
            return CertFileEvent(kind: keyless ? .reusedKeylessCA : .reused, name: spec.name, certPath: certURL.path, keyPath: keyURL.path)

        case .generate(let config):
            guard let key = keys.popFirst() else { throw PKIError(.openSSL, "internal error: no key generated for \(spec.baseName)") }
            let certificate: Certificate
            if spec.isCA {
                certificate = try CertificateIssuer.selfSignedCA(config: config, key: key)
                authorities[spec.name] = .existing(certificate, key)
            } else {
                guard case .existing(let caCertificate, let caKey?)? = authorities[spec.caName ?? ""] else {
                    throw PKIError(.openSSL, "internal error: CA for \(spec.baseName) unavailable")
                }
                certificate = try CertificateIssuer.issue(config: config, publicKeyOf: key, caCert: caCertificate, caKey: caKey)
            }
            onLine("[certs] Generating \"\(spec.baseName)\" certificate and key")
            try AtomicFile.ensureDirectory(certURL.deletingLastPathComponent())
            try writePair(certificate: certificate, key: key, certURL: certURL, keyURL: keyURL)
            if certificate.extendedKeyUsages.contains(.serverAuth) {
                onLine(
                    "[certs] \(spec.baseName) serving cert is signed for DNS names [\(certificate.dnsNames.joined(separator: " "))] "
                        + "and IPs [\(certificate.ipAddresses.joined(separator: " "))]")
            }
            return CertFileEvent(kind: .generated, name: spec.name, certPath: certURL.path, keyPath: keyURL.path)
        }
    }

    /// Stages key (0600) and certificate (0644), then renames both into place.
    func writePair(certificate: Certificate, key: PrivateKey, certURL: URL, keyURL: URL) throws {
        var keyBytes = Array(key.pem.utf8)
        defer { wipe(&keyBytes) }
        let stagedKey = try AtomicFile.stage(keyBytes, to: keyURL, mode: 0o600)
        let stagedCert: AtomicFile.Staged
        do {
            stagedCert = try AtomicFile.stage(Array(certificate.pem.utf8), to: certURL, mode: 0o644)
        } catch {
            unlink(stagedKey.temporary)
            throw error
        }
        try AtomicFile.commit([stagedKey, stagedCert])
    }

    // MARK: Service-account key

    enum ServiceAccountPlan {
        case reuse(PrivateKey, writePublicKey: Bool)
        case generate
    }

    private func planServiceAccountKey() throws -> ServiceAccountPlan {
        let (keyURL, pubURL) = serviceAccountKeyPaths
        guard let keyText = try readText(keyURL) else {
            return .generate
        }
        let key: PrivateKey
        do {
            key = try PrivateKey(pem: keyText)
        } catch let error as PKIError {
            throw PKIError(
                error.code, "\(error.message); restore the service-account key, or remove it (existing service-account tokens will then be rejected) to have a new one generated",
                path: keyURL.path, openSSLErrors: error.openSSLErrors)
        }
        guard let pubText = try readText(pubURL) else { return .reuse(key, writePublicKey: true) }
        let block: PEM.Block
        do {
            block = try PEM.firstBlock(in: pubText, ofType: ["PUBLIC KEY"])
        } catch let error as PKIError {
            throw PKIError(error.code, "\(error.message); remove it to have it re-derived from \(keyURL.path)", path: pubURL.path)
        }
        guard block.der == key.publicKeyDER else {
            throw PKIError(
                .keyMismatch, "public key does not match the private key \(keyURL.path); remove it to have it re-derived from the private key",
                path: pubURL.path)
        }
        return .reuse(key, writePublicKey: false)
    }

    private func executeServiceAccount(_ plan: ServiceAccountPlan, newKey: PrivateKey?, onLine: (String) -> Void) throws -> CertFileEvent {
        let (keyURL, pubURL) = serviceAccountKeyPaths
        let event = { (kind: CertFileEvent.Kind) in CertFileEvent(kind: kind, name: "sa", certPath: pubURL.path, keyPath: keyURL.path) }
        switch plan {
        case .reuse(let key, let writePublicKey):
            onLine("[certs] Using the existing \"sa\" key")
            if writePublicKey {
                try AtomicFile.replace(Array(key.publicKeyPEM.utf8), at: pubURL, mode: 0o600)
            }
            return event(.reused)
        case .generate:
            guard let key = newKey else { throw PKIError(.openSSL, "internal error: no service-account key generated") }
            onLine("[certs] Generating \"sa\" key and public key")
            try AtomicFile.ensureDirectory(directory)
            var keyBytes = Array(key.pem.utf8)
            defer { wipe(&keyBytes) }
            let stagedKey = try AtomicFile.stage(keyBytes, to: keyURL, mode: 0o600)
            let stagedPub: AtomicFile.Staged
            do {
                stagedPub = try AtomicFile.stage(Array(key.publicKeyPEM.utf8), to: pubURL, mode: 0o600)
            } catch {
                unlink(stagedKey.temporary)
                throw error
            }
            try AtomicFile.commit([stagedKey, stagedPub])
            return event(.generated)
        }
    }

    // MARK: Key generation

    /// Generates keys concurrently on all cores; results keep the order of `algorithms`.
    static func generateKeys(_ algorithms: [KeyAlgorithm]) throws -> [PrivateKey] {
        guard algorithms.count > 1 else { return try algorithms.map(PrivateKey.generate) }
        let results = KeyResults(count: algorithms.count)
        DispatchQueue.concurrentPerform(iterations: algorithms.count) { index in
            results.set(index, Result { try PrivateKey.generate(algorithms[index]) })
        }
        return try results.collect()
    }

    /// Slots for concurrently generated keys, guarded by a lock (`concurrentPerform` needs a
    /// `@Sendable` closure, and `Mutex` is not available on every platform this package targets).
    private final class KeyResults: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<PrivateKey, any Error>?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ result: Result<PrivateKey, any Error>) {
            lock.withLock { slots[index] = result }
        }

        func collect() throws -> [PrivateKey] {
            try lock.withLock { slots }.map { slot in
                guard let slot else { throw PKIError(.openSSL, "internal error: key generation did not run") }
                return try slot.get()
            }
        }
    }

    // MARK: File reading and checks

    /// File contents, or `nil` if the file does not exist.
    func readText(_ url: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return String(decoding: try Data(contentsOf: url), as: UTF8.self)
        } catch {
            throw PKIError(.io, "cannot read file: \(error.localizedDescription); check its permissions", path: url.path)
        }
    }

    /// Parses the spec's certificate file, if present, attributing errors to the file.
    func readCertificate(_ spec: CertSpec) throws -> Certificate? {
        let url = paths(for: spec).cert
        guard let text = try readText(url) else { return nil }
        do {
            return try Certificate(pem: text)
        } catch let error as PKIError {
            throw PKIError(error.code, "\(error.message); \(removeHint(spec))", path: url.path, openSSLErrors: error.openSSLErrors)
        }
    }

    /// Parses the spec's key file, if present, attributing errors to the file.
    func readKey(_ spec: CertSpec) throws -> PrivateKey? {
        let url = paths(for: spec).key
        guard let text = try readText(url) else { return nil }
        do {
            return try PrivateKey(pem: text)
        } catch let error as PKIError {
            throw PKIError(error.code, "\(error.message); \(removeHint(spec))", path: url.path, openSSLErrors: error.openSSLErrors)
        }
    }

    func checkMatch(_ spec: CertSpec, _ certificate: Certificate, _ key: PrivateKey) throws {
        guard certificate.matches(key) else {
            let (certURL, keyURL) = paths(for: spec)
            throw PKIError(
                .keyMismatch, "certificate does not match private key \(keyURL.path); \(removeHint(spec, both: "both files"))",
                path: certURL.path)
        }
    }

    private func checkIsCA(_ spec: CertSpec, _ certificate: Certificate) throws {
        guard certificate.isCA else {
            throw PKIError(
                .invalidArgument, "certificate is not a certificate authority (basicConstraints CA:FALSE); \(removeHint(spec))",
                path: paths(for: spec).cert.path)
        }
    }

    private func caExpiryWarning(_ spec: CertSpec, _ certificate: Certificate, _ now: Date) -> [String] {
        guard certificate.notAfter < now else { return [] }
        return [
            "[certs] WARNING: the \(spec.baseName) certificate authority (\(paths(for: spec).cert.path)) expired on "
                + "\(CertExpiry.formatDate(certificate.notAfter)); certificates it signs will not be trusted"
        ]
    }

    /// How to get a file regenerated; CAs carry the warning that their leaves must follow.
    func removeHint(_ spec: CertSpec, both: String? = nil) -> String {
        let (certURL, keyURL) = paths(for: spec)
        let files = both ?? "\(certURL.path) and \(keyURL.path)"
        if spec.isCA {
            return "restore the original CA files, or remove \(files) to have a new CA generated "
                + "(every certificate it signed must then be removed and regenerated too)"
        }
        return "remove \(files) to have them regenerated"
    }

    private func createHint(_ spec: CertSpec) -> String {
        "create it with 'kubeadm init phase certs \(spec.phaseName)'"
    }
}
