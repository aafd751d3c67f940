import Foundation
import HTTPTransport
import KubeAPI
import Manifests
import PKI
import Storage

/// The bundled kube-apiserver process: opens the datastore, creates the built-in objects, and serves HTTPS until
/// SIGTERM or SIGINT, then drains (readiness fails first) and closes the store.
public enum KubeAPIServer {
    /// How often the store's history is compacted. Each pass compacts to the revision seen at the previous pass, so
    /// watchers always have at least this much history to resume from (upstream compacts etcd every 5 minutes).
    static let compactionInterval: Duration = .seconds(300)

    /// Runs the server until a signal; returns normally after a clean shutdown.
    /// - Throws: `APIServerOptionsError` or a startup error that names the file, flag or port at fault.
    public static func run(_ options: APIServerOptions, log: @escaping @Sendable (String) -> Void) async throws {
        try validate(options)
        if !options.ignored.isEmpty {
            log("flags accepted without effect in this version: " + options.ignored.map { "--\($0)" }.joined(separator: ", "))
        }
        let store = try openStore(options)
        guard let serviceNetwork = IPNetwork(options.serviceClusterIPRange) else {
            await store.close()
            throw APIServerOptionsError("--service-cluster-ip-range=\(options.serviceClusterIPRange) is not a CIDR such as 10.96.0.0/12")
        }
        let nodeRelations = NodeRelations(store: store)
        let admitNodes = options.admissionPlugins.contains("NodeRestriction")
        var admission: Registry.Admission?
        if admitNodes {
            admission = { @Sendable request, old, new in
                await NodeRestriction.admit(user: request.user, request: request, old: old, new: new, relations: nodeRelations)
            }
        }
        let registry = Registry(store: store, serviceNetwork: serviceNetwork, admission: admission)
        let authorization: Authorization
        do {
            authorization = try await authorizer(options.authorizationModes, store: store)
        } catch {
            await store.close()
            throw error
        }
        let security: TokenSecurity
        do {
            security = try tokenSecurity(options, registry: registry)
        } catch {
            await store.close()
            throw error
        }
        var kubelets: KubeletConnection?
        if !options.kubeletClientCertificate.isEmpty && !options.kubeletClientKey.isEmpty {
            do {
                kubelets = try KubeletConnection(certificateFile: options.kubeletClientCertificate, keyFile: options.kubeletClientKey)
            } catch {
                await store.close()
                throw error
            }
        }
        let handler = APIHandler(
            registry: registry,
            configuration: .init(serverAddress: serverAddress(options), allowAnonymous: options.anonymousAuth),
            tokenAuthenticator: security.authenticator, tokenIssuer: security.issuer, apiAudiences: security.audiences,
            authorizer: authorization.authorizer,
            kubelets: kubelets,
            datastoreHealthy: { (try? await store.currentRevision()) != nil })
        let server: HTTPServer
        do {
            server = try await HTTPServer(
                settings: HTTPServerSettings(
                    host: options.bindAddress, port: options.securePort,
                    tls: .init(certificateFile: options.tlsCertFile, privateKeyFile: options.tlsPrivateKeyFile,
                               clientCAFile: options.clientCAFile.isEmpty ? nil : options.clientCAFile)),
                responder: handler)
        } catch {
            await store.close()
            throw error
        }
        let signals = SignalWatcher(signals: [SIGTERM, SIGINT]) { signal in
            log("received signal \(signal); shutting down")
            handler.markShuttingDown()
            server.shutdown()
        }
        log("serving securely on \(options.bindAddress):\(server.boundPort)")
        try await registry.reconcileBootstrapPolicy()
        try await registry.reconcileKubernetesService(advertiseAddress: advertiseAddress(options), securePort: server.boundPort)
        handler.markBootstrapDone()
        let compactor = Task { await compactPeriodically(store) }
        await server.run()
        compactor.cancel()
        signals.cancel()
        authorization.rbacCache?.stop()
        await store.close()
        log("stopped")
    }

    /// The authorizer chain of `--authorization-mode`, in upstream's order, with `system:masters` always allowed.
    struct Authorization {
        var authorizer: any Authorizer
        var rbacCache: RBACPolicyCache?
    }

    static let authorizationModes: Set<String> = ["AlwaysAllow", "AlwaysDeny", "Node", "RBAC"]

    static func authorizer(_ modes: [String], store: any StorageBackend) async throws -> Authorization {
        if let unknown = modes.first(where: { !authorizationModes.contains($0) }) {
            throw APIServerOptionsError("--authorization-mode: unsupported mode \"\(unknown)\"; use a comma-separated list of "
                + authorizationModes.sorted().joined(separator: ", "))
        }
        var chain: [any Authorizer] = [PrivilegedGroupAuthorizer()]
        var cache: RBACPolicyCache?
        for mode in modes {
            switch mode {
            case "AlwaysAllow": chain.append(FixedAuthorizer(decision: .allow))
            case "AlwaysDeny": chain.append(FixedAuthorizer(decision: .deny("AlwaysDeny")))
            case "Node": chain.append(NodeAuthorizer(store: store))
            default:
                let rbac = RBACPolicyCache(store: store)
                try await rbac.start()
                cache = rbac
                chain.append(RBACAuthorizer(cache: rbac))
            }
        }
        return Authorization(authorizer: UnionAuthorizer(chain), rbacCache: cache)
    }

    /// The token side of authentication, from the flags: bootstrap tokens (`--enable-bootstrap-token-auth`),
    /// service-account JWTs verified with `--service-account-key-file` keys, and the issuer that signs new ones.
    struct TokenSecurity {
        var authenticator: (any TokenAuthenticator)?
        var issuer: ServiceAccountTokenIssuer?
        var audiences: [String]
    }

    static func tokenSecurity(_ options: APIServerOptions, registry: Registry) throws -> TokenSecurity {
        let audiences = options.apiAudiences.isEmpty ? options.serviceAccountIssuers : options.apiAudiences
        var authenticators: [any TokenAuthenticator] = []
        if options.enableBootstrapTokenAuth {
            authenticators.append(BootstrapTokenAuthenticator(registry: registry, apiAudiences: audiences))
        }
        var issuer: ServiceAccountTokenIssuer?
        var keys: [PublicKey] = []
        for file in options.serviceAccountKeyFiles {
            do {
                keys += try PublicKey.all(inPEM: String(contentsOfFile: file, encoding: .utf8))
            } catch {
                throw APIServerOptionsError("--service-account-key-file=\(file): cannot read a public key: \(error)")
            }
        }
        if !options.serviceAccountSigningKeyFile.isEmpty {
            guard let first = options.serviceAccountIssuers.first else {
                throw APIServerOptionsError("--service-account-signing-key-file needs --service-account-issuer (e.g. https://kubernetes.default.svc.cluster.local)")
            }
            let key: PrivateKey
            do {
                key = try PrivateKey(pem: String(contentsOfFile: options.serviceAccountSigningKeyFile, encoding: .utf8))
            } catch {
                throw APIServerOptionsError("--service-account-signing-key-file=\(options.serviceAccountSigningKeyFile): cannot read the private key: \(error)")
            }
            let signer = try ServiceAccountTokenIssuer(issuer: first, signingKey: key, apiAudiences: audiences)
            issuer = signer
            if keys.isEmpty { keys = [try signer.publicKey()] }
        }
        if !keys.isEmpty && !options.serviceAccountIssuers.isEmpty {
            authenticators.append(ServiceAccountTokenAuthenticator(
                issuers: options.serviceAccountIssuers, keys: keys, apiAudiences: audiences,
                lookups: ServiceAccountLookups(registry: registry)))
        }
        return TokenSecurity(authenticator: authenticators.isEmpty ? nil : UnionTokenAuthenticator(authenticators),
                             issuer: issuer, audiences: audiences)
    }

    private static func validate(_ options: APIServerOptions) throws {
        guard options.storageBackend == "sqlite" else {
            throw APIServerOptionsError("--storage-backend=\(options.storageBackend) is not available yet: the etcd backend comes "
                + "with the HA work; use --storage-backend=sqlite (the default)")
        }
        for (flag, path) in [("tls-cert-file", options.tlsCertFile), ("tls-private-key-file", options.tlsPrivateKeyFile)] {
            guard !path.isEmpty else { throw APIServerOptionsError("--\(flag) is required: the server only serves HTTPS") }
        }
        for (flag, path) in [("tls-cert-file", options.tlsCertFile), ("tls-private-key-file", options.tlsPrivateKeyFile),
                             ("client-ca-file", options.clientCAFile)] where !path.isEmpty {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw APIServerOptionsError("--\(flag)=\(path): the file does not exist or is not readable. "
                    + "Create the certificates with `kubeadm-swift init phase certs all`")
            }
        }
    }

    private static func openStore(_ options: APIServerOptions) throws -> SQLiteStore {
        do {
            try FileManager.default.createDirectory(atPath: options.storageDir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            return try SQLiteStore(path: options.storageDir + "/state.db")
        } catch {
            throw APIServerOptionsError("cannot open the datastore in --storage-dir=\(options.storageDir): \(error)")
        }
    }

    /// The address clients are told to use: the advertise address, else the bind address.
    private static func serverAddress(_ options: APIServerOptions) -> String {
        let host = options.advertiseAddress.isEmpty ? options.bindAddress : options.advertiseAddress
        return (host.contains(":") ? "[\(host)]" : host) + ":\(options.securePort)"
    }

    /// The address in `default/kubernetes`'s endpoints: the advertise address, else a specific bind address, else
    /// loopback (a single-node default; kubeadm always passes --advertise-address).
    private static func advertiseAddress(_ options: APIServerOptions) -> String {
        if !options.advertiseAddress.isEmpty { return options.advertiseAddress }
        if options.bindAddress != "0.0.0.0" && options.bindAddress != "::" { return options.bindAddress }
        return "127.0.0.1"
    }

    private static func compactPeriodically(_ store: SQLiteStore) async {
        var previous: Int64?
        while !Task.isCancelled {
            try? await Task.sleep(for: compactionInterval)
            if let previous, previous > 0 { try? await store.compact(previous) }
            previous = try? await store.currentRevision()
        }
    }
}
