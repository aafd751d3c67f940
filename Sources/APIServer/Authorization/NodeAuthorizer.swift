import KubeAPI
import Storage

/// The Node authorizer (upstream `plugin/pkg/auth/authorizer/node`): grants kubelets the node rules, but only on
/// objects related to pods bound to the requesting node for the kinds that carry workload data (secrets,
/// configmaps, PVCs, PVs, service-account tokens, volume attachments), and only the node's own Node, Lease and
/// CSINode. It never denies: for anything it does not allow it has no opinion, and since `system:node` is bound to
/// nobody, RBAC then refuses unless an administrator granted more.
///
/// Kubelets' writes are further limited by `NodeRestriction` admission (own Node, mirror pods, pod status).
public final class NodeAuthorizer: Authorizer {
    let relations: NodeRelations
    let rules: [PolicyRule]

    public init(store: any StorageBackend) {
        relations = NodeRelations(store: store)
        rules = BootstrapPolicy.nodeRules
    }

    /// The resources checked against the pod relation, and how (the rest fall back to the node rules).
    private enum Check {
        case readNamespaced(NodeRelations.Kind)
        case get(NodeRelations.Kind)
        case statusUpdate(NodeRelations.Kind)
        case createToken
        case pod, node, lease, csiNode
    }

    private static let checks: [String: Check] = [
        "/secrets": .readNamespaced(.secret),
        "/configmaps": .readNamespaced(.configMap),
        "/persistentvolumes": .get(.persistentVolume),
        "/serviceaccounts": .createToken,
        "/pods": .pod,
        "/nodes": .node,
        "coordination.k8s.io/leases": .lease,
        "storage.k8s.io/csinodes": .csiNode,
        "storage.k8s.io/volumeattachments": .get(.volumeAttachment),
    ]

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        guard let node = NodeIdentity.nodeName(of: attributes.user) else { return .noOpinion("") }
        guard !node.isEmpty else { return .noOpinion("unknown node for user \(quoted(attributes.user.name))") }
        guard attributes.isResourceRequest else { return byRules(attributes) }
        let key = attributes.apiGroup + "/" + attributes.resource
        if key == "/persistentvolumeclaims" {
            let check: Check = attributes.subresource == "status" ? .statusUpdate(.persistentVolumeClaim)
                : .get(.persistentVolumeClaim)
            return await decide(check, attributes, node: node)
        }
        guard let check = Self.checks[key] else { return byRules(attributes) }
        return await decide(check, attributes, node: node)
    }

    private func decide(_ check: Check, _ attributes: AuthorizationAttributes, node: String) async -> AuthorizationDecision {
        let verb = attributes.verb
        switch check {
        case .readNamespaced(let kind):
            guard ["get", "list", "watch"].contains(verb) else { return .noOpinion("can only read resources of this type") }
            guard attributes.subresource.isEmpty else { return .noOpinion("cannot read subresource") }
            guard !attributes.namespace.isEmpty else { return .noOpinion("can only read namespaced object of this type") }
            return await related(kind, attributes, node: node)
        case .get(let kind):
            guard verb == "get" else { return .noOpinion("can only get individual resources of this type") }
            guard attributes.subresource.isEmpty else { return .noOpinion("cannot get subresource") }
            return await related(kind, attributes, node: node)
        case .statusUpdate(let kind):
            guard ["update", "patch"].contains(verb) else { return .noOpinion("can only get/update/patch this type") }
            return await related(kind, attributes, node: node)
        case .createToken:
            guard verb == "create", attributes.subresource == "token" else {
                return .noOpinion("can only create tokens for individual service accounts")
            }
            return await related(.serviceAccount, attributes, node: node)
        case .pod:
            return await pod(attributes, node: node)
        case .node:
            return nodeObject(attributes, node: node)
        case .lease:
            return named(attributes, node: node, namespace: "kube-node-lease", what: "node lease")
        case .csiNode:
            return named(attributes, node: node, namespace: nil, what: "CSINode")
        }
    }

    /// Pods: get only pods bound here, list/watch only with `spec.nodeName=<node>` (AuthorizeNodeWithSelectors,
    /// on by default since 1.32); writes (mirror pods, status, eviction) by the node rules.
    private func pod(_ attributes: AuthorizationAttributes, node: String) async -> AuthorizationDecision {
        switch attributes.verb {
        case "get":
            guard attributes.subresource.isEmpty else { return .noOpinion("cannot get subresource") }
            return await related(.pod, attributes, node: node)
        case "list", "watch":
            if requiredField("spec.nodeName", attributes) == node { return .allow }
            if !attributes.name.isEmpty { return await related(.pod, attributes, node: node) }
            return .noOpinion("can only list/watch pods with spec.nodeName field selector")
        default:
            return byRules(attributes)
        }
    }

    /// Nodes: reads only of the node's own object; writes by the node rules (NodeRestriction pins them to itself).
    private func nodeObject(_ attributes: AuthorizationAttributes, node: String) -> AuthorizationDecision {
        guard ["get", "list", "watch"].contains(attributes.verb) else { return byRules(attributes) }
        if attributes.name == node || requiredField("metadata.name", attributes) == node { return .allow }
        return .noOpinion("node '\(node)' cannot read '\(attributes.name)', only its own Node object")
    }

    /// Objects named after the node (its Lease, its CSINode). Create is not checked by name here because the
    /// name is in the body; NodeRestriction checks it there.
    private func named(_ attributes: AuthorizationAttributes, node: String, namespace: String?,
                       what: String) -> AuthorizationDecision {
        guard ["get", "create", "update", "patch", "delete"].contains(attributes.verb) else {
            return .noOpinion("can only get, create, update, patch, or delete a \(what)")
        }
        if let namespace, attributes.namespace != namespace {
            return .noOpinion("can only access leases in the \(quoted(namespace)) system namespace")
        }
        if attributes.verb != "create" && attributes.name != node {
            return .noOpinion("can only access \(what) with the same name as the requesting node")
        }
        return .allow
    }

    private func related(_ kind: NodeRelations.Kind, _ attributes: AuthorizationAttributes,
                         node: String) async -> AuthorizationDecision {
        guard !attributes.name.isEmpty else { return .noOpinion("No Object name found") }
        do {
            if try await relations.isRelated(kind, namespace: attributes.namespace, name: attributes.name, to: node) {
                return .allow
            }
        } catch {
            return .noOpinion("unable to check relationship: \(error)")
        }
        return .noOpinion("no relationship found between node '\(node)' and this object")
    }

    private func byRules(_ attributes: AuthorizationAttributes) -> AuthorizationDecision {
        rules.contains { $0.allows(attributes) } ? .allow : .noOpinion("")
    }

    private func requiredField(_ field: String, _ attributes: AuthorizationAttributes) -> String? {
        (try? FieldSelector(parsing: attributes.fieldSelector))?.requiredValue(for: field)
    }
}
