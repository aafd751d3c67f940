import Testing

@testable import KubeAPI

/// Lookups in the generated patch-metadata table (Generated/PatchSchemaTable.swift).
@Suite struct GeneratedSchemaTests {
    let schema = GeneratedPatchSchema.shared

    @Test func podSpecContainersIsMergeListKeyedByName() throws {
        let info = try #require(schema.field("containers", of: "io.k8s.api.core.v1.PodSpec"))
        #expect(info.kind == .list)
        #expect(info.patchStrategies == ["merge"])
        #expect(info.patchMergeKey == "name")
        #expect(info.listType == .map)
        #expect(info.listMapKeys == ["name"])
        #expect(info.elementType == "io.k8s.api.core.v1.Container")
    }

    @Test func containerPortsMergeOnContainerPort() throws {
        let info = try #require(schema.field("ports", of: "io.k8s.api.core.v1.Container"))
        #expect(info.kind == .list)
        #expect(info.patchMergeKey == "containerPort")
        #expect(info.listMapKeys == ["containerPort", "protocol"])
        #expect(info.elementType == "io.k8s.api.core.v1.ContainerPort")
    }

    @Test func podSpecVolumesMergeAndRetainKeys() throws {
        let info = try #require(schema.field("volumes", of: "io.k8s.api.core.v1.PodSpec"))
        #expect(info.patchStrategies == ["merge", "retainKeys"])
        #expect(info.patchMergeKey == "name")
        #expect(info.elementType == "io.k8s.api.core.v1.Volume")
    }

    @Test func deploymentStrategyRetainKeys() throws {
        let info = try #require(schema.field("strategy", of: "io.k8s.api.apps.v1.DeploymentSpec"))
        #expect(info.kind == .object)
        #expect(info.patchStrategies == ["retainKeys"])
        #expect(info.patchMergeKey == nil)
        #expect(info.elementType == "io.k8s.api.apps.v1.DeploymentStrategy")
    }

    @Test func finalizersArePrimitiveMergeSet() throws {
        let info = try #require(schema.field("finalizers", of: "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
        #expect(info.kind == .list)
        #expect(info.patchStrategies == ["merge"])
        #expect(info.patchMergeKey == nil)
        #expect(info.listType == .set)
        #expect(info.elementType == nil)
    }

    @Test func mapsScalarsAndFreeFormObjects() throws {
        let meta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
        #expect(schema.field("labels", of: meta)?.kind == .map)
        #expect(schema.field("labels", of: meta)?.elementType == nil)
        #expect(schema.field("creationTimestamp", of: meta)?.kind == .scalar)  // Time is a string
        #expect(schema.field("name", of: meta) == FieldPatchInfo(kind: .scalar))
        #expect(schema.field("nope", of: meta) == nil)
        #expect(schema.field("name", of: "io.k8s.api.core.v1.Nope") == nil)
        // Quantity maps have no element definition; IntOrString is a scalar.
        let limits = try #require(schema.field("limits", of: "io.k8s.api.core.v1.ResourceRequirements"))
        #expect(limits.kind == .map && limits.elementType == nil)
        #expect(schema.field("targetPort", of: "io.k8s.api.core.v1.ServicePort")?.kind == .scalar)
        // FieldsV1 and RawExtension are free-form objects: object without an element type.
        let managed = "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"
        let fields = try #require(schema.field("fieldsV1", of: managed))
        #expect(fields.kind == .object && fields.elementType == nil)
        // Atomic lists: tolerations are atomic in v1.32 (no merge key).
        let tolerations = try #require(schema.field("tolerations", of: "io.k8s.api.core.v1.PodSpec"))
        #expect(tolerations.listType == .atomic && tolerations.patchMergeKey == nil)
    }

    @Test func rootTypes() {
        #expect(schema.rootType(group: "apps", version: "v1", kind: "Deployment") == "io.k8s.api.apps.v1.Deployment")
        #expect(schema.rootType(group: "", version: "v1", kind: "Pod") == "io.k8s.api.core.v1.Pod")
        #expect(schema.rootType(group: "events.k8s.io", version: "v1", kind: "Event") == "io.k8s.api.events.v1.Event")
        #expect(schema.rootType(group: "", version: "v1", kind: "Event") == "io.k8s.api.core.v1.Event")
        #expect(
            schema.rootType(group: "", version: "v1", kind: "DeleteOptions")
                == "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions")
        #expect(schema.rootType(group: "apps", version: "v1beta1", kind: "Deployment") == nil)
        #expect(schema.rootType(group: "apps", version: "v1", kind: "Pod") == nil)
    }

    @Test func mapTypes() {
        #expect(schema.mapType(of: "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector") == "atomic")
        #expect(schema.mapType(of: "io.k8s.api.core.v1.PodSpec") == nil)
        #expect(schema.fieldMapType("nodeSelector", of: "io.k8s.api.core.v1.PodSpec") == "atomic")
        #expect(schema.fieldMapType("selector", of: "io.k8s.api.core.v1.ServiceSpec") == "atomic")
        #expect(schema.fieldMapType("claimRef", of: "io.k8s.api.core.v1.PersistentVolumeSpec") == "granular")
        #expect(schema.fieldMapType("selector", of: "io.k8s.api.apps.v1.DeploymentSpec") == "atomic")  // LabelSelector
        #expect(schema.fieldMapType("template", of: "io.k8s.api.apps.v1.DeploymentSpec") == nil)
        #expect(schema.fieldMapType("labels", of: "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta") == nil)
    }

    @Test func tableIsCompleteAndConsistent() {
        let names = schema.definitionNames
        #expect(names.count == 625)
        let known = Set(names)
        var dangling: [String] = []
        for name in names {
            for (field, info) in schema.fields(of: name) ?? [:] {
                if let element = info.elementType, !known.contains(element) { dangling.append("\(name).\(field)") }
                if info.patchMergeKey != nil { #expect(info.kind == .list, "\(name).\(field)") }
            }
        }
        #expect(dangling.isEmpty)
    }
}
