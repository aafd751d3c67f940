import KubeAPI

/// The private claims of a bound service-account token: the `kubernetes.io` object of upstream's
/// `pkg/serviceaccount/claims.go`, naming the service account and the object the token is bound to.
public struct ServiceAccountClaims: Sendable, Equatable {
    /// A name and uid, as the token records an object (`uid` may be empty for a pod's node that did not exist).
    public struct Reference: Sendable, Equatable {
        public var name: String
        public var uid: String

        public init(name: String, uid: String) {
            self.name = name
            self.uid = uid
        }

        var json: JSONValue {
            var members = JSONObject()
            if !name.isEmpty { members["name"] = .string(name) }
            if !uid.isEmpty { members["uid"] = .string(uid) }
            return .object(members)
        }

        init?(_ json: JSONValue?) throws(JWTClaims.DecodingError) {
            guard let json, !json.isNull else { return nil }
            guard json.object != nil else { throw JWTClaims.DecodingError(claim: "kubernetes.io") }
            name = try JWTClaims.string(json, "name")
            uid = try JWTClaims.string(json, "uid")
        }
    }

    public var namespace: String
    public var serviceAccount: Reference
    /// Set for a token bound to a pod.
    public var pod: Reference?
    /// Set for a token bound to a secret.
    public var secret: Reference?
    /// Set for a token bound to a node, or for a pod-bound token whose pod is scheduled (the pod's node).
    public var node: Reference?
    /// For kubelet's projected tokens whose expiry was extended: when the token should have expired (NumericDate).
    public var warnAfter: Int64?

    public init(namespace: String, serviceAccount: Reference, pod: Reference? = nil, secret: Reference? = nil,
                node: Reference? = nil, warnAfter: Int64? = nil) {
        self.namespace = namespace
        self.serviceAccount = serviceAccount
        self.pod = pod
        self.secret = secret
        self.node = node
        self.warnAfter = warnAfter
    }

    /// The `kubernetes.io` claim; members sorted as in upstream's tokens.
    var json: JSONValue {
        var members = JSONObject()
        if !namespace.isEmpty { members["namespace"] = .string(namespace) }
        if let node { members["node"] = node.json }
        if let pod { members["pod"] = pod.json }
        if let secret { members["secret"] = secret.json }
        members["serviceaccount"] = serviceAccount.json
        if let warnAfter { members["warnafter"] = .integer(warnAfter) }
        return .object(members)
    }

    /// Decodes the `kubernetes.io` claim of a payload; nil when the payload has none.
    init?(decoding payload: JSONValue) throws(JWTClaims.DecodingError) {
        guard let claim = payload["kubernetes.io"], !claim.isNull else { return nil }
        guard claim.object != nil else { throw JWTClaims.DecodingError(claim: "kubernetes.io") }
        namespace = try JWTClaims.string(claim, "namespace")
        serviceAccount = try Reference(claim["serviceaccount"]) ?? Reference(name: "", uid: "")
        pod = try Reference(claim["pod"])
        secret = try Reference(claim["secret"])
        node = try Reference(claim["node"])
        warnAfter = try JWTClaims.numericDate(claim, "warnafter")
    }
}

/// The claims of a legacy (Secret-based, non-expiring) service-account token, issued by
/// `kubernetes/serviceaccount` before TokenRequest existed; still accepted while its Secret exists.
struct LegacyServiceAccountClaims: Sendable, Equatable {
    static let issuer = "kubernetes/serviceaccount"
    static let namespaceKey = "kubernetes.io/serviceaccount/namespace"
    static let secretNameKey = "kubernetes.io/serviceaccount/secret.name"
    static let serviceAccountNameKey = "kubernetes.io/serviceaccount/service-account.name"
    static let serviceAccountUIDKey = "kubernetes.io/serviceaccount/service-account.uid"

    var namespace: String
    var secretName: String
    var serviceAccountName: String
    var serviceAccountUID: String

    init(decoding payload: JSONValue) throws(JWTClaims.DecodingError) {
        namespace = try JWTClaims.string(payload, Self.namespaceKey)
        secretName = try JWTClaims.string(payload, Self.secretNameKey)
        serviceAccountName = try JWTClaims.string(payload, Self.serviceAccountNameKey)
        serviceAccountUID = try JWTClaims.string(payload, Self.serviceAccountUIDKey)
    }

    /// The first required claim that is missing, named as upstream's errors name it.
    var missingClaim: String? {
        if namespace.isEmpty { return "namespace" }
        if secretName.isEmpty { return "secretName" }
        if serviceAccountName.isEmpty { return "serviceAccountName" }
        if serviceAccountUID.isEmpty { return "serviceAccountUID" }
        return nil
    }
}
