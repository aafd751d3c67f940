import KubeAPI

/// The checks after a token's signature, issuer and audience are verified: the account (and the bound object)
/// must still exist with the uid the token recorded (upstream's `validator.Validate` in `claims.go` and the legacy
/// validator in `legacy.go`). Each failure is a reason string for `.rejected`; none echoes token material.
struct ServiceAccountTokenValidation: Sendable {
    let lookups: ServiceAccountLookups
    /// Seconds since the epoch.
    let now: Int64

    /// Objects whose deletion started longer ago than the JWT leeway no longer back a token, so a token stops
    /// working within a minute of its pod's deletion even if the pod lingers with finalizers.
    func isGone(_ object: JSONValue) -> Bool {
        guard let deleted = object.metadata.deletionTimestamp else { return false }
        return deleted.seconds < now - JWTClaims.leewaySeconds
    }

    /// Validates a bound token and returns whom it authenticates.
    func validate(_ claims: JWTClaims, _ bound: ServiceAccountClaims) async -> Result<ServiceAccountIdentity, Rejection> {
        switch claims.timeProblem(at: now) {
        case .expired?: return .failure("service account token has expired")
        case .notValidYet?: return .failure("service account token is not valid yet")
        case .issuedInTheFuture?: return .failure("service account token is issued in the future")
        case nil: break
        }
        let namespace = bound.namespace
        let account = bound.serviceAccount
        guard let serviceAccount = await lookups.serviceAccount(namespace, account.name) else {
            return .failure(Rejection("serviceaccounts \"\(account.name)\" not found"))
        }
        if isGone(serviceAccount) {
            return .failure(Rejection("service account \(namespace)/\(account.name) has been deleted"))
        }
        let actualUID = serviceAccount.metadata.uid ?? ""
        guard actualUID == account.uid else {
            return .failure(Rejection("service account UID (\(actualUID)) does not match claim (\(account.uid))"))
        }
        if let secretRef = bound.secret {
            guard let secret = await lookups.secret(namespace, secretRef.name), !isGone(secret) else {
                return .failure("service account token has been invalidated")
            }
            let uid = secret.metadata.uid ?? ""
            guard uid == secretRef.uid else {
                return .failure(Rejection("secret UID (\(uid)) does not match service account secret ref claim (\(secretRef.uid))"))
            }
        }
        var identity = ServiceAccountIdentity(namespace: namespace, name: account.name, uid: account.uid)
        if let podRef = bound.pod {
            guard let pod = await lookups.pod(namespace, podRef.name), !isGone(pod) else {
                return .failure("service account token has been invalidated")
            }
            let uid = pod.metadata.uid ?? ""
            guard uid == podRef.uid else {
                return .failure(Rejection("pod UID (\(uid)) does not match service account pod ref claim (\(podRef.uid))"))
            }
            identity.podName = podRef.name
            identity.podUID = podRef.uid
        }
        if let nodeRef = bound.node {
            if bound.pod == nil {
                // A node-bound token lives as long as its node; a pod-bound token's node is informational only.
                guard let node = await lookups.node("", nodeRef.name), !isGone(node) else {
                    return .failure("service account token has been invalidated")
                }
                let uid = node.metadata.uid ?? ""
                guard uid == nodeRef.uid else {
                    return .failure(Rejection("node UID (\(uid)) does not match service account node ref claim (\(nodeRef.uid))"))
                }
            }
            identity.nodeName = nodeRef.name
            identity.nodeUID = nodeRef.uid
        }
        if !claims.id.isEmpty { identity.credentialID = "JTI=" + claims.id }
        return .success(identity)
    }

    /// Validates a legacy token: its Secret must still exist and hold exactly this token, and the account must
    /// still exist with the recorded uid. Legacy tokens have no expiry; deleting the Secret revokes them.
    func validateLegacy(token: String, _ claims: JWTClaims, _ legacy: LegacyServiceAccountClaims) async
        -> Result<ServiceAccountIdentity, Rejection>
    {
        if claims.subject.isEmpty { return .failure("sub claim is missing") }
        if let missing = legacy.missingClaim { return .failure(Rejection("\(missing) claim is missing")) }
        guard let (subjectNamespace, subjectName) = ServiceAccountIdentity.split(username: claims.subject),
            subjectNamespace == legacy.namespace, subjectName == legacy.serviceAccountName
        else { return .failure("sub claim is invalid") }
        guard let secret = await lookups.secret(legacy.namespace, legacy.secretName),
            !secret.metadata.isBeingDeleted,
            secret.metadata.labels["kubernetes.io/legacy-token-invalid-since"] == nil
        else { return .failure("token has been invalidated") }
        guard ConstantTime.equals(SecretData.bytes(secret, "token") ?? [], Array(token.utf8)) else {
            return .failure("token does not match server's copy")
        }
        guard let serviceAccount = await lookups.serviceAccount(legacy.namespace, legacy.serviceAccountName) else {
            return .failure(Rejection("serviceaccounts \"\(legacy.serviceAccountName)\" not found"))
        }
        if serviceAccount.metadata.isBeingDeleted {
            return .failure(Rejection("service account \(legacy.namespace)/\(legacy.serviceAccountName) has been deleted"))
        }
        let actualUID = serviceAccount.metadata.uid ?? ""
        guard actualUID == legacy.serviceAccountUID else {
            return .failure(Rejection("service account UID (\(actualUID)) does not match claim (\(legacy.serviceAccountUID))"))
        }
        return .success(ServiceAccountIdentity(namespace: legacy.namespace, name: legacy.serviceAccountName,
                                               uid: legacy.serviceAccountUID))
    }
}

/// A reason to reject a token, usable as a `Result` failure.
struct Rejection: Error, Sendable, ExpressibleByStringLiteral {
    let reason: String

    init(_ reason: String) { self.reason = reason }
    init(stringLiteral value: String) { self.reason = value }
}
