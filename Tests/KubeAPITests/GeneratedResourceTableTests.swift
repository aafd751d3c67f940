import Testing

@testable import KubeAPI

/// The served-resource table (Resources/ResourceTable.swift): discovery data and kubectl-style resolution.
@Suite struct GeneratedResourceTableTests {
    @Test func resolvesLikeKubectl() throws {
        #expect(ResourceTable.resolve("po")?.plural == "pods")
        #expect(ResourceTable.resolve("pod")?.plural == "pods")
        #expect(ResourceTable.resolve("pods")?.plural == "pods")
        #expect(ResourceTable.resolve("Pod")?.plural == "pods")
        let deploy = try #require(ResourceTable.resolve("deploy"))
        #expect(deploy.group == "apps" && deploy.version == "v1" && deploy.kind == "Deployment")
        #expect(ResourceTable.resolve("deployments.apps") == deploy)
        #expect(ResourceTable.resolve("deployments.v1.apps") == deploy)
        #expect(ResourceTable.resolve("deploy.apps") == deploy)
        #expect(ResourceTable.resolve("deployments.extensions") == nil)
        #expect(ResourceTable.resolve("svc")?.kind == "Service")
        #expect(ResourceTable.resolve("ev")?.group == "")
        #expect(ResourceTable.resolve("events.events.k8s.io")?.group == "events.k8s.io")
        #expect(ResourceTable.resolveAll("ev").map(\.group) == ["", "events.k8s.io"])
        #expect(ResourceTable.resolve("crds")?.kind == "CustomResourceDefinition")
        #expect(ResourceTable.resolve("hpa")?.version == "v2")
        #expect(ResourceTable.resolve("cs")?.plural == "componentstatuses")
        #expect(ResourceTable.resolve("quota")?.plural == "resourcequotas")
        #expect(ResourceTable.resolve("limits")?.plural == "limitranges")
        #expect(ResourceTable.resolve("endpoints")?.singular == "endpoints")
        #expect(ResourceTable.resolve("clusterrolebinding")?.plural == "clusterrolebindings")
        #expect(ResourceTable.resolve("crb") == nil)
        #expect(ResourceTable.resolve("nope") == nil)
        #expect(ResourceTable.resolve("") == nil)
    }

    @Test func shortNames() {
        let expected: [String: String] = [
            "po": "pods", "svc": "services", "deploy": "deployments", "ds": "daemonsets", "sts": "statefulsets",
            "rs": "replicasets", "ns": "namespaces", "no": "nodes", "cm": "configmaps", "sa": "serviceaccounts",
            "pv": "persistentvolumes", "pvc": "persistentvolumeclaims", "ep": "endpoints", "ev": "events",
            "csr": "certificatesigningrequests", "pdb": "poddisruptionbudgets", "pc": "priorityclasses",
            "sc": "storageclasses", "cj": "cronjobs", "rc": "replicationcontrollers", "ing": "ingresses",
            "netpol": "networkpolicies", "crd": "customresourcedefinitions",
        ]
        for (short, plural) in expected { #expect(ResourceTable.resolve(short)?.plural == plural, "\(short)") }
    }

    @Test func lookups() throws {
        let pods = try #require(ResourceTable.resource(group: "", version: "v1", plural: "pods"))
        #expect(pods.namespaced && pods.categories == ["all"])
        #expect(pods.verbs == ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"])
        #expect(pods.pathPrefix == "/api/v1" && pods.groupVersion == "v1")
        let eviction = try #require(pods.subresource("eviction"))
        #expect(eviction.group == "policy" && eviction.version == "v1" && eviction.kind == "Eviction")
        #expect(pods.subresource("log")?.verbs == ["get"])
        #expect(pods.subresource("exec")?.verbs == ["create", "get"])
        let deployments = try #require(ResourceTable.resource(kind: "Deployment", group: "apps"))
        #expect(deployments.qualifiedName == "deployments.apps" && deployments.pathPrefix == "/apis/apps/v1")
        #expect(deployments.subresource("scale")?.group == "autoscaling")
        let ns = try #require(ResourceTable.resource(group: "", version: "v1", plural: "namespaces"))
        #expect(!ns.namespaced && !ns.supports("deletecollection") && ns.subresource("finalize")?.verbs == ["update"])
        #expect(ResourceTable.resource(group: "", version: "v1", plural: "serviceaccounts")?.subresource("token")?.kind
            == "TokenRequest")
        let ssar = ResourceTable.resource(
            group: "authorization.k8s.io", version: "v1", plural: "selfsubjectaccessreviews")
        #expect(ssar?.verbs == ["create"])
        #expect(ResourceTable.resource(group: "apps", version: "v1", plural: "pods") == nil)
    }

    @Test func groupsAndCategories() throws {
        #expect(ResourceTable.groups.first?.name == "")
        #expect(ResourceTable.groups.first?.groupVersions == ["v1"])
        #expect(ResourceTable.namedGroups.first?.name == "apiregistration.k8s.io")
        #expect(ResourceTable.group("apps")?.preferredVersion == "v1")
        #expect(ResourceTable.group("autoscaling")?.groupVersions == ["autoscaling/v2", "autoscaling/v1"])
        #expect(ResourceTable.group("autoscaling")?.preferredVersion == "v2")
        #expect(Set(ResourceTable.groups.map(\.name)).count == ResourceTable.groups.count)
        #expect(ResourceTable.resources(group: "", version: "v1").count == 17)
        let all = ResourceTable.resources(inCategory: "all").map(\.plural)
        #expect(all == [
            "pods", "replicationcontrollers", "services", "daemonsets", "deployments", "replicasets", "statefulsets",
            "horizontalpodautoscalers", "cronjobs", "jobs",
        ])
    }

    @Test func storageVersionHashes() {
        #expect(ResourceTable.resolve("po")?.storageVersionHash == "xPOwRZ+Yhw8=")
        #expect(ResourceTable.resolve("deploy")?.storageVersionHash == "8aSe+NMegvE=")
        #expect(ResourceTable.resolve("crd")?.storageVersionHash == "jfWCUB31mvA=")
        #expect(ResourceTable.resolve("events.events.k8s.io")?.storageVersionHash == "r2yiGXH7wu8=")
        // Virtual resources (no storage) have no hash; every stored one has.
        let virtual: Set<String> = [
            "bindings", "componentstatuses", "selfsubjectreviews", "tokenreviews", "localsubjectaccessreviews",
            "selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews",
        ]
        for r in ResourceTable.resources {
            #expect((r.storageVersionHash == nil) == virtual.contains(r.plural), "\(r.plural)")
        }
        #expect(ResourceTable.storageVersionHashes.count == ResourceTable.resources.count - virtual.count)
    }

    @Test func tableIsWellFormed() {
        var seen = Set<String>()
        var shortNames = Set<String>()
        let schema = GeneratedPatchSchema.shared
        for r in ResourceTable.resources {
            #expect(seen.insert("\(r.group)/\(r.version)/\(r.plural)").inserted, "duplicate \(r.plural)")
            #expect(r.verbs == r.verbs.sorted(), "\(r.plural) verbs unsorted")
            #expect(r.subresources.map(\.name) == r.subresources.map(\.name).sorted(), "\(r.plural)")
            #expect(r.singular == r.kind.lowercased())
            for s in r.shortNames { #expect(shortNames.insert("\(r.group)/\(r.version)/\(s)").inserted, "\(s)") }
            // Every served kind has a schema definition (so OpenAPI, patching and models agree with discovery).
            #expect(schema.rootType(group: r.group, version: r.version, kind: r.kind) != nil, "\(r.kind)")
            for s in r.subresources where s.group != nil {
                let root = schema.rootType(group: s.group ?? "", version: s.version ?? "", kind: s.kind)
                #expect(root != nil, "\(s.kind)")
            }
        }
    }
}

/// Legacy discovery documents built from the table, encoded with the generated meta/v1 models.
@Suite struct GeneratedDiscoveryTests {
    @Test func coreResourceList() throws {
        let list = try #require(ResourceTable.apiResourceList(group: "", version: "v1"))
        #expect(list.kind == "APIResourceList" && list.groupVersion == "v1")
        let names = list.resources?.compactMap(\.name) ?? []
        #expect(names.prefix(3) == ["bindings", "componentstatuses", "configmaps"])
        #expect(names.contains("pods/eviction") && names.contains("namespaces/finalize"))
        let eviction = try #require(list.resources?.first { $0.name == "pods/eviction" })
        #expect(eviction.group == "policy" && eviction.version == "v1" && eviction.kind == "Eviction")
        #expect(eviction.singularName == "" && eviction.namespaced == true)
        let pods = try #require(list.resources?.first { $0.name == "pods" })
        #expect(pods.shortNames == ["po"] && pods.categories == ["all"] && pods.singularName == "pod")
        #expect(ResourceTable.apiResourceList(group: "apps", version: "v2") == nil)
    }

    @Test func groupsDocuments() throws {
        let groups = ResourceTable.apiGroupList()
        #expect(groups.kind == "APIGroupList")
        #expect(groups.groups?.first?.name == "apiregistration.k8s.io")
        let apps = try #require(ResourceTable.apiGroup("apps"))
        #expect(apps.preferredVersion?.groupVersion == "apps/v1" && apps.versions?.count == 1)
        #expect(ResourceTable.apiGroup("") == nil && ResourceTable.apiGroup("nope") == nil)
        let versions = ResourceTable.apiVersions(serverAddress: "127.0.0.1:6443")
        #expect(versions.versions == ["v1"] && versions.kind == "APIVersions")
        #expect(versions.serverAddressByClientCIDRs?.first?.serverAddress == "127.0.0.1:6443")
    }
}
