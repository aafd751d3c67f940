import Foundation
import HTTPTransport

/// `Impersonate-*` headers (`kubectl --as`, `--as-group`, `--as-uid`): after authentication, the request runs as
/// another user, if the real user may `impersonate` each part (upstream `filters.WithImpersonation`).
///
/// Every part is authorized separately: the user (`users`, or `serviceaccounts` in its namespace for a
/// `system:serviceaccount:` name), each group (`groups`), the uid (`uids.authentication.k8s.io`) and each extra value
/// (`userextras/<key>.authentication.k8s.io`). The result carries only what was asked for, plus the group every
/// authenticated (or anonymous) user has.
struct Impersonation {
    var user: String?
    var groups: [String] = []
    var uid: String?
    var extra: [String: [String]] = [:]

    static let userHeader = "impersonate-user"
    static let groupHeader = "impersonate-group"
    static let uidHeader = "impersonate-uid"
    static let extraPrefix = "impersonate-extra-"

    /// The headers' request, or nil when the request impersonates nobody.
    init?(_ request: HTTPRequestMessage) {
        for (name, value) in request.headers {
            switch name {
            case Self.userHeader: user = value
            case Self.groupHeader: groups.append(value)
            case Self.uidHeader: uid = value
            case _ where name.hasPrefix(Self.extraPrefix):
                let key = String(name.dropFirst(Self.extraPrefix.count))
                extra[key.removingPercentEncoding ?? key, default: []].append(value)
            default: continue
            }
        }
        if user == nil && groups.isEmpty && uid == nil && extra.isEmpty { return nil }
    }

    /// The user to act as, or the error to answer with (400 for groups/extra/uid without a user, 403 for any part
    /// the real user may not impersonate).
    func resolve(as requester: UserInfo, authorizer: any Authorizer) async -> Result<UserInfo, StatusError> {
        guard let user, !user.isEmpty else {
            return .failure(.badRequest("requested impersonation of groups, extra or uid without impersonating a user: "
                                        + "add --as=<user> (the Impersonate-User header)"))
        }
        var checks: [AuthorizationAttributes] = []
        func check(_ resource: String, group: String = "", subresource: String = "", namespace: String = "", name: String) {
            checks.append(AuthorizationAttributes(user: requester, verb: "impersonate", isResourceRequest: true, apiGroup: group,
                                                  resource: resource, subresource: subresource, namespace: namespace, name: name))
        }
        let serviceAccount = ServiceAccountIdentity.split(username: user)
        if let serviceAccount {
            check("serviceaccounts", namespace: serviceAccount.namespace, name: serviceAccount.name)
        } else {
            check("users", name: user)
        }
        for group in groups { check("groups", name: group) }
        if let uid { check("uids", group: "authentication.k8s.io", name: uid) }
        for (key, values) in extra.sorted(by: { $0.key < $1.key }) {
            for value in values { check("userextras", group: "authentication.k8s.io", subresource: key, name: value) }
        }
        for attributes in checks {
            switch await authorizer.authorize(attributes) {
            case .allow: continue
            case .deny(let reason), .noOpinion(let reason): return .failure(.forbidden(attributes, reason: reason))
            }
        }
        var groups = groups
        if let serviceAccount, groups.isEmpty {
            groups = [SystemGroups.serviceAccounts, SystemGroups.serviceAccounts(namespace: serviceAccount.namespace)]
        }
        let everyone = user == UserInfo.anonymous.name ? SystemGroups.unauthenticated : SystemGroups.authenticated
        if !groups.contains(everyone) { groups.append(everyone) }
        return .success(UserInfo(name: user, groups: groups, uid: uid, extra: extra))
    }
}
