import KubeAPI
import Storage

extension Registry {
    /// `POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token`: issues a bound service-account token
    /// (upstream's `pkg/registry/core/serviceaccount/storage/token.go`).
    ///
    /// The body is an `authentication.k8s.io/v1` TokenRequest. `spec.expirationSeconds` defaults to 3600 and must be
    /// at least 600 (422 otherwise); `spec.audiences` defaults to the API audiences; `spec.boundObjectRef` may name a
    /// Pod, Secret or Node, which must exist (404) with the given uid (409). The answer is 201 with the request
    /// echoed, defaults filled, and `status.token` / `status.expirationTimestamp`.
    /// - Parameters:
    ///   - request: the routed request (resource "serviceaccounts", subresource "token").
    ///   - issuer: signs the token and holds the TokenRequest settings.
    public func tokenRequest(_ request: APIRequest, issuer: ServiceAccountTokenIssuer) async -> APIResponse {
        do {
            return try await issueToken(request, issuer: issuer)
        } catch let error as StatusError {
            return Self.response(error.code, error.status)
        } catch let error as StorageError {
            let status = Self.statusError(error)
            return Self.response(status.code, status.status)
        } catch {
            // Signing failures land here; their messages name the key type at most, never key material.
            let status = StatusError.internalError("failed to generate token: \(error)")
            return Self.response(status.code, status.status)
        }
    }

    private func issueToken(_ request: APIRequest, issuer: ServiceAccountTokenIssuer) async throws -> APIResponse {
        let serviceAccounts = try TokenRequestRules.info("", "serviceaccounts")
        guard let namespace = request.namespace, !namespace.isEmpty else {
            throw StatusError.badRequest("namespace is required")
        }
        guard let name = request.name, !name.isEmpty else {
            throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        var body = try TokenRequestRules.body(request)
        let tokenRequest = TokenRequestRules.tokenRequestInfo
        if let bodyName = body.metadata.name, !bodyName.isEmpty, bodyName != name {
            throw StatusError.invalid(tokenRequest, name, [
                .invalid("metadata.name", bodyName, "must match the service account name if specified")])
        }
        if let bodyNamespace = body.metadata.namespace, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw StatusError.invalid(tokenRequest, name, [
                .invalid("metadata.namespace", bodyNamespace, "must match the service account namespace if specified")])
        }

        guard let (_, serviceAccount) = try await read(ResourceKeys.key(serviceAccounts, namespace: namespace, name: name))
        else { throw StatusError.notFound(serviceAccounts, name) }

        var audiences = try TokenRequestRules.strings(body[path: ["spec", "audiences"]], "spec.audiences")
        if audiences.isEmpty { audiences = issuer.apiAudiences }
        let requestedSeconds = try TokenRequestRules.expirationSeconds(body[path: ["spec", "expirationSeconds"]])
        let issuedAt = issuer.currentTime().truncatedToSeconds
        body.metadata.name = name
        body.metadata.namespace = namespace
        body.metadata.creationTimestamp = issuedAt
        body[path: ["spec", "audiences"]] = .array(audiences.map(JSONValue.string))
        body[path: ["spec", "expirationSeconds"]] = .integer(requestedSeconds)
        body["status"] = nil
        let errors = TokenRequestRules.validate(expirationSeconds: requestedSeconds)
        if !errors.isEmpty { throw StatusError.invalid(tokenRequest, "", errors) }

        var claims = ServiceAccountClaims(
            namespace: namespace,
            serviceAccount: .init(name: name, uid: serviceAccount.metadata.uid ?? ""))
        if let ref = body[path: ["spec", "boundObjectRef"]], !ref.isNull {
            try await bind(&claims, to: ref, serviceAccount: name, namespace: namespace)
        }

        var headers: [(String, String)] = []
        var seconds = requestedSeconds
        if let max = issuer.maxExpirationSeconds, max > 0, seconds > max {
            headers.append(("Warning", "299 - \"requested expiration of \(seconds) seconds shortened to \(max) seconds\""))
            seconds = max
            body[path: ["spec", "expirationSeconds"]] = .integer(seconds)
        }
        // kubelet's projected tokens: valid for a year, with the requested expiry recorded as `warnafter`.
        var tokenSeconds = seconds
        if issuer.extendExpiration, claims.pod != nil, seconds == ServiceAccountTokenIssuer.warnOnlyExpirationSeconds,
           Set(issuer.apiAudiences).isSuperset(of: audiences)
        {
            claims.warnAfter = issuedAt.seconds + seconds
            tokenSeconds = max(ServiceAccountTokenIssuer.extendedExpirationSeconds, issuer.maxExpirationSeconds ?? 0)
        }

        let token = try issuer.sign(claims, audiences: audiences, issuedAt: issuedAt.seconds,
                                    expirationSeconds: tokenSeconds)
        body["status"] = [
            "token": .string(token),
            "expirationTimestamp": .string(issuedAt.adding(seconds: seconds).rfc3339),
        ]
        return .object(status: 201, body: body, headers: headers)
    }

    /// Resolves `spec.boundObjectRef` into the claims (upstream: Pod, Node and Secret in the core group).
    private func bind(_ claims: inout ServiceAccountClaims, to ref: JSONValue, serviceAccount: String,
                      namespace: String) async throws {
        let kind = ref["kind"]?.string ?? ""
        let apiVersion = ref["apiVersion"]?.string ?? ""
        let refName = ref["name"]?.string ?? ""
        let refUID = ref["uid"]?.string ?? ""
        let group = apiVersion.contains("/") ? String(apiVersion.prefix { $0 != "/" }) : ""
        let recordedUID: String
        switch (group, kind) {
        case ("", "Pod"):
            let pods = try TokenRequestRules.info("", "pods")
            guard let (_, pod) = try await read(ResourceKeys.key(pods, namespace: namespace, name: refName)) else {
                throw StatusError.notFound(pods, refName)
            }
            guard pod[path: ["spec", "serviceAccountName"]]?.string == serviceAccount else {
                throw StatusError.badRequest("cannot bind token for serviceaccount \"\(serviceAccount)\" to pod running "
                    + "with different serviceaccount name.")
            }
            recordedUID = pod.metadata.uid ?? ""
            claims.pod = .init(name: refName, uid: recordedUID)
            // A scheduled pod's token names its node too; a node that is gone is recorded by name only.
            if let nodeName = pod[path: ["spec", "nodeName"]]?.string, !nodeName.isEmpty {
                let nodes = try TokenRequestRules.info("", "nodes")
                let node = try await read(ResourceKeys.key(nodes, namespace: nil, name: nodeName))?.object
                claims.node = .init(name: nodeName, uid: node?.metadata.uid ?? "")
            }
        case ("", "Node"):
            let nodes = try TokenRequestRules.info("", "nodes")
            guard let (_, node) = try await read(ResourceKeys.key(nodes, namespace: nil, name: refName)) else {
                throw StatusError.notFound(nodes, refName)
            }
            recordedUID = node.metadata.uid ?? ""
            claims.node = .init(name: refName, uid: recordedUID)
        case ("", "Secret"):
            let secrets = try TokenRequestRules.info("", "secrets")
            guard let (_, secret) = try await read(ResourceKeys.key(secrets, namespace: namespace, name: refName)) else {
                throw StatusError.notFound(secrets, refName)
            }
            recordedUID = secret.metadata.uid ?? ""
            claims.secret = .init(name: refName, uid: recordedUID)
        default:
            // Go's GroupVersionKind.String(): "<group>/<version>, Kind=<kind>".
            let version = apiVersion.contains("/") ? String(apiVersion.drop { $0 != "/" }.dropFirst()) : apiVersion
            throw StatusError.badRequest("cannot bind token to object of type \(group)/\(version), Kind=\(kind)")
        }
        if !refUID.isEmpty && refUID != recordedUID {
            throw StatusError(
                code: 409, reason: "Conflict",
                message: "Operation cannot be fulfilled on \(kind) \"\(refName)\": the UID in the bound object reference "
                    + "(\(refUID)) does not match the UID in record. The object might have been deleted and then recreated",
                details: ["name": .string(refName), "kind": .string(kind)])
        }
    }
}
