// Legacy (non-aggregated) discovery documents built from the resource table: what /api, /apis and
// /api/v1 or /apis/<group>/<version> return (`APIVersions`, `APIGroupList`, `APIResourceList`).

extension ResourceTable {
    /// The `APIResourceList` of one group/version (`GET /api/v1`, `GET /apis/<group>/<version>`): each resource
    /// followed by its subresources as `"<plural>/<subresource>"` entries, as upstream lists them.
    /// Returns nil for a group/version the server does not serve.
    /// - Parameters:
    ///   - group: the group ("" for core).
    ///   - version: the version.
    public static func apiResourceList(group: String, version: String) -> MetaV1.APIResourceList? {
        let served = resources(group: group, version: version)
        guard !served.isEmpty else { return nil }
        var entries: [MetaV1.APIResource] = []
        for r in served {
            entries.append(
                MetaV1.APIResource(
                    categories: r.categories.isEmpty ? nil : r.categories,
                    kind: r.kind,
                    name: r.plural,
                    namespaced: r.namespaced,
                    shortNames: r.shortNames.isEmpty ? nil : r.shortNames,
                    singularName: r.singular,
                    storageVersionHash: r.storageVersionHash,
                    verbs: r.verbs
                ))
            for s in r.subresources {
                entries.append(
                    MetaV1.APIResource(
                        group: s.group,
                        kind: s.kind,
                        name: r.plural + "/" + s.name,
                        namespaced: r.namespaced,
                        singularName: "",
                        verbs: s.verbs,
                        version: s.version
                    ))
            }
        }
        return MetaV1.APIResourceList(groupVersion: served[0].groupVersion, resources: entries)
    }

    /// The `APIVersions` document of `GET /api`.
    /// - Parameters:
    ///   - serverAddress: the "host:port" clients should use (upstream lists it for CIDR 0.0.0.0/0).
    public static func apiVersions(serverAddress: String) -> MetaV1.APIVersions {
        let everywhere = MetaV1.ServerAddressByClientCIDR(clientCIDR: "0.0.0.0/0", serverAddress: serverAddress)
        return MetaV1.APIVersions(serverAddressByClientCIDRs: [everywhere], versions: group("")?.versions ?? ["v1"])
    }

    /// The `APIGroup` document of `GET /apis/<group>`; nil for an unknown group or for core.
    /// - Parameters:
    ///   - name: the group name.
    public static func apiGroup(_ name: String) -> MetaV1.APIGroup? {
        guard !name.isEmpty, let info = group(name) else { return nil }
        return apiGroup(info)
    }

    /// The `APIGroupList` document of `GET /apis`: every named group, in upstream priority order.
    public static func apiGroupList() -> MetaV1.APIGroupList {
        MetaV1.APIGroupList(groups: namedGroups.map(apiGroup))
    }

    private static func apiGroup(_ info: APIGroupInfo) -> MetaV1.APIGroup {
        let versions = info.versions.map {
            MetaV1.GroupVersionForDiscovery(groupVersion: info.name + "/" + $0, version: $0)
        }
        return MetaV1.APIGroup(name: info.name, preferredVersion: versions.first, versions: versions)
    }
}
