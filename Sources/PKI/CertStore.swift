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
    /// New keys are generated concurrently (through a `KeyPool`) while earlier certificates are
    /// signed and written, since RSA key generation dominates the run time. All validation happens
    /// before the first write.
    /// - Parameters:
    ///   - specs: Certificates to ensure, CAs before their leaves (`CertTree.specs(includeEtcd:)`, or a
    ///     single spec for `init phase certs <name>`; a CA not in the list is loaded from disk).
    ///   - input: Cluster facts; `input.now` is also the time existing certificates are checked against.
    ///   - includeServiceAccountKey: Also ensure `sa.key`/`sa.pub` (as `certs all` does), generated
    ///     in the same concurrent batch with `input.algorithm`.
    ///   - keyPool: Keys prepared by `prefetchKeys` for per-phase runs; used when its algorithm is
    ///     `input.algorithm`. Without one, keys needed by this call are generated concurrently here.
    ///   - onLine: Receives each console line, in kubeadm's order.
    /// - Returns: One event per certificate (and for `sa` if requested).
    @discardableResult
    public func ensure(
        specs: [CertSpec], input: CertTreeInput, includeServiceAccountKey: Bool = false, keyPool: KeyPool? = nil,
        onLine: (String) -> Void = { _ in }
    ) throws -> [CertFileEvent] {
        let plan = try makePlan(specs: specs, input: input)
        let serviceAccount = includeServiceAccountKey ? try planServiceAccountKey() : nil

        var needed = plan.steps.filter { if case .generate = $0.action { true } else { false } }.count
        if case .generate = serviceAccount { needed += 1 }
        let pool: KeyPool
        if let keyPool, keyPool.algorithm == input.algorithm {
            pool = keyPool
        } else {
            // A single key is generated inline by take(); more go to background threads.
            pool = KeyPool(algorithm: input.algorithm, count: needed > 1 ? needed : 0)
        }

        var events: [CertFileEvent] = []
        var authorities = plan.authorities
        for step in plan.steps {
            events.append(try execute(step, keys: pool, authorities: &authorities, onLine: onLine))
        }
        if let serviceAccount {
            let key: PrivateKey? = if case .generate = serviceAccount { try pool.take() } else { nil }
            events.append(try executeServiceAccount(serviceAccount, newKey: key, onLine: onLine))
        }
        return events
    }

    /// Ensures the service-account signing key pair (`sa.key` 0600, `sa.pub` PKIX `PUBLIC KEY` 0600).
    ///
    /// An existing `sa.key` is kept ("Using the existing "sa" key"); a missing `sa.pub` is re-derived
    /// from it, and a `sa.pub` that belongs to another key is an error.
    /// - Parameters:
    ///   - algorithm: Algorithm for a new key. kubeadm passes `encryptionAlgorithm` here.
    ///   - keyPool: Prefetched keys (used if its algorithm matches).
    ///   - onLine: Receives the console line.
    @discardableResult
    public func ensureServiceAccountKey(
        algorithm: KeyAlgorithm, keyPool: KeyPool? = nil, onLine: (String) -> Void = { _ in }
    ) throws -> CertFileEvent {
        let plan = try planServiceAccountKey()
        var newKey: PrivateKey?
        if case .generate = plan {
            if let keyPool, keyPool.algorithm == algorithm {
                newKey = try keyPool.take()
            } else {
                newKey = try PrivateKey.generate(algorithm)
            }
        }
        return try executeServiceAccount(plan, newKey: newKey, onLine: onLine)
    }

    /// How many new keys ensuring `specs` (and optionally `sa`) would need: one per certificate whose
    /// `.crt` and `.key` are both absent. Only checks file existence.
    public func keysNeeded(specs: [CertSpec], includeServiceAccountKey: Bool) -> Int {
        let exists = { (url: URL) in FileManager.default.fileExists(atPath: url.path) }
        var count = specs.filter { !exists(paths(for: $0).cert) && !exists(paths(for: $0).key) }.count
        if includeServiceAccountKey && !exists(serviceAccountKeyPaths.key) { count += 1 }
        return count
    }

    /// Starts generating, in the background, the keys a sequence of per-certificate `ensure` calls
    /// will need. Call once before the first `certs` sub-phase and pass the pool to every
    /// `ensure` / `ensureServiceAccountKey` call, so the tree costs about one parallel batch of key
    /// generation instead of one key after another.
    /// - Parameters:
    ///   - specs: The certificates the following calls will ensure.
    ///   - algorithm: `input.algorithm` of those calls.
    ///   - includeServiceAccountKey: Whether `sa.key` will be ensured too.
    public func prefetchKeys(specs: [CertSpec], algorithm: KeyAlgorithm, includeServiceAccountKey: Bool) -> KeyPool {
        KeyPool(
            algorithm: algorithm, count: keysNeeded(specs: specs, includeServiceAccountKey: includeServiceAccountKey))
    }

    // MARK: load

    /// Loads and cross-checks a certificate and its key.
    /// - Throws: `PKIError` naming the missing, corrupt or mismatched file.
    public func load(_ spec: CertSpec) throws -> (certificate: Certificate, key: PrivateKey) {
        let (certURL, keyURL) = paths(for: spec)
        guard let certificate = try readCertificate(spec) else {
            throw PKIError(
                .missingFile, "certificate \"\(spec.baseName)\" does not exist; \(createHint(spec))", path: certURL.path
            )
        }
        guard let key = try readKey(spec) else {
            throw PKIError(
                .missingFile, "private key \"\(spec.baseName)\" does not exist; \(createHint(spec))", path: keyURL.path)
        }
        try checkMatch(spec, certificate, key)
        return (certificate, key)
    }

    /// Loads a certificate authority; the key is `nil` when only the certificate exists (external CA mode).
    /// - Parameter name: CA spec name (`"ca"`, `"front-proxy-ca"`, `"etcd-ca"`).
    public func loadCA(named name: String) throws -> (certificate: Certificate, key: PrivateKey?) {
        guard let spec = CertTree.spec(named: name), spec.isCA else {
            throw PKIError(
                .invalidArgument,
                "'\(name)' is not a kubeadm certificate authority (expected ca, front-proxy-ca or etcd-ca)")
        }
        guard let certificate = try readCertificate(spec) else {
            throw PKIError(
                .missingFile, "certificate authority \"\(spec.baseName)\" does not exist; \(createHint(spec))",
                path: paths(for: spec).cert.path)
        }
        guard let key = try readKey(spec) else { return (certificate, nil) }
        try checkMatch(spec, certificate, key)
        return (certificate, key)
    }
}
