import Foundation
import KubeAPI
import PKI
@testable import APIServer

/// In-memory objects for authenticator tests, keyed by kind plural then "namespace/name".
struct FakeObjects: Sendable {
    var objects: [String: [String: JSONValue]] = [:]

    mutating func put(_ plural: String, _ object: JSONValue) {
        let key = (object.metadata.namespace ?? "") + "/" + (object.metadata.name ?? "")
        objects[plural, default: [:]][key] = object
    }

    func lookup(_ plural: String) -> ObjectLookup {
        let table = objects[plural] ?? [:]
        return { namespace, name in table[namespace + "/" + name] }
    }

    var serviceAccountLookups: ServiceAccountLookups {
        ServiceAccountLookups(serviceAccount: lookup("serviceaccounts"), pod: lookup("pods"),
                              secret: lookup("secrets"), node: lookup("nodes"))
    }
}

enum AuthFixtures {
    static let issuer = "https://kubernetes.default.svc.cluster.local"
    /// 2026-01-01T00:00:00Z.
    static let epoch = KubeTime(seconds: 1_767_225_600)

    static func object(_ kind: String, _ name: String, namespace: String? = nil, uid: String,
                       deletedAt: KubeTime? = nil) -> JSONValue {
        var object: JSONValue = ["apiVersion": "v1", "kind": .string(kind), "metadata": ["name": .string(name)]]
        if let namespace { object.metadata.namespace = namespace }
        object.metadata.uid = uid
        object.metadata.deletionTimestamp = deletedAt
        return object
    }

    static func base64(_ text: String) -> JSONValue { .string(Data(text.utf8).base64EncodedString()) }

    /// A bootstrap-token Secret as kubeadm writes it.
    static func bootstrapSecret(id: String, secret: String, expiration: String? = nil, usage: String = "true",
                                extraGroups: String? = nil) -> JSONValue {
        var data: JSONObject = [
            "token-id": base64(id), "token-secret": base64(secret), "usage-bootstrap-authentication": base64(usage),
            "usage-bootstrap-signing": base64("true"),
        ]
        if let expiration { data["expiration"] = base64(expiration) }
        if let extraGroups { data["auth-extra-groups"] = base64(extraGroups) }
        var object = AuthFixtures.object("Secret", "bootstrap-token-" + id, namespace: "kube-system", uid: "s-1")
        object["type"] = "bootstrap.kubernetes.io/token"
        object["data"] = .object(data)
        return object
    }

    /// The payload of a compact JWT, parsed.
    static func payload(of token: String) throws -> JSONValue {
        guard let jws = CompactJWS(token) else { throw FixtureError.notAJWT }
        return try JSONValue(parsing: jws.payload)
    }

    /// A JWT signed with `key` over arbitrary claims (for forged and legacy tokens).
    static func sign(_ claims: JSONValue, key: PrivateKey) throws -> String {
        try JWS.sign(payload: claims.jsonBytes, key: key)
    }

    enum FixtureError: Error { case notAJWT }
}
