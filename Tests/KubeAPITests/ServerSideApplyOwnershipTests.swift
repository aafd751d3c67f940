import Testing
@testable import KubeAPI

/// Field ownership in server-side apply: field sets, managedFields, conflicts, force and removal of fields a manager
/// stopped applying. Uses the real v1.32 patch schema (containers are a map list keyed by name).
struct ServerSideApplyOwnershipTests {
    static let schema = GeneratedPatchSchema.shared
    static let root = schema.rootType(group: "apps", version: "v1", kind: "Deployment")

    static func deployment(replicas: Int64? = nil, image: String = "nginx:1", labels: [String: String] = ["app": "web"]) -> JSONValue {
        var spec: JSONValue = ["template": ["spec": ["containers": [["name": "c", "image": .string(image)]]]]]
        if let replicas { spec["replicas"] = .integer(replicas) }
        return ["apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": "web", "labels": .object(.init(uniqueKeysWithValues: labels.map { ($0.key, .string($0.value)) }))],
                "spec": spec]
    }

    static func apply(_ config: JSONValue, onto live: JSONValue?, as manager: String, force: Bool = false) throws -> JSONValue {
        try ServerSideApply.apply(config, onto: live, manager: manager, force: force, time: "2026-11-27T00:00:00Z",
                                  ignoringStatus: true, schema: schema, rootType: root)
    }

    @Test func fieldSetsUseListKeysAndRoundTripThroughFieldsV1() {
        let set = FieldSet(of: Self.deployment(replicas: 2), schema: Self.schema, rootType: Self.root, ignoringStatus: true)
        #expect(set.paths.contains(["f:spec", "f:replicas"]))
        #expect(set.paths.contains(["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"c"}"#, "f:image"]))
        #expect(set.paths.contains(["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"c"}"#]))
        #expect(!set.paths.contains { $0.first == "f:apiVersion" || $0 == ["f:metadata", "f:name"] })
        let json = set.fieldsV1
        #expect(json[path: ["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"c"}"#, "."]] == .emptyObject)
        #expect(FieldSet(fieldsV1: json) == set)
        #expect(FieldSet.describe(["f:spec", "f:containers", #"k:{"name":"c"}"#, "f:image"]) == #".spec.containers[name="c"].image"#)
    }

    @Test func applyRecordsOwnershipAndConflictsWithAnotherManager() throws {
        let created = try Self.apply(Self.deployment(replicas: 3), onto: nil, as: "alice")
        let entries = created.metadata.managedFields
        #expect(entries.count == 1 && entries.first?["manager"] == "alice" && entries.first?["operation"] == "Apply")
        // Same value from bob: shared ownership, no conflict.
        let shared = try Self.apply(Self.deployment(replicas: 3), onto: created, as: "bob")
        #expect(shared.metadata.managedFields.count == 2)
        // A different value: conflict naming alice and the field.
        do {
            _ = try Self.apply(Self.deployment(replicas: 5, image: "nginx:1"), onto: created, as: "bob")
            Issue.record("expected a conflict")
        } catch let conflicts as ServerSideApply.Conflicts {
            #expect(conflicts.message == #"Apply failed with 1 conflict: conflict with "alice" using apps/v1: .spec.replicas"#)
        }
        // Forced: bob takes the field; alice no longer owns it.
        let forced = try Self.apply(Self.deployment(replicas: 5), onto: created, as: "bob", force: true)
        #expect(forced[path: ["spec", "replicas"]] == 5)
        let alice = forced.metadata.managedFields.first { $0["manager"] == "alice" }
        #expect(alice?[path: ["fieldsV1", "f:spec", "f:replicas"]] == nil)
        #expect(alice?[path: ["fieldsV1", "f:spec", "f:template"]] != nil)
    }

    @Test func fieldsAManagerStopsApplyingAreRemovedUnlessSomeoneElseOwnsThem() throws {
        let first = try Self.apply(Self.deployment(replicas: 2, labels: ["app": "web", "tier": "fe"]), onto: nil, as: "alice")
        let second = try Self.apply(Self.deployment(labels: ["app": "web"]), onto: first, as: "alice")
        #expect(second[path: ["metadata", "labels"]] == ["app": "web"], "the dropped label goes")
        #expect(second[path: ["spec", "replicas"]] == nil, "the dropped replicas go")
        let withBob = try Self.apply(["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": ["tier": "fe"]]],
                                     onto: first, as: "bob")
        let third = try Self.apply(Self.deployment(labels: ["app": "web"]), onto: withBob, as: "alice")
        #expect(third[path: ["metadata", "labels", "tier"]] == "fe", "bob still owns tier")
    }

    @Test func updatesTakeTheFieldsTheyChange() throws {
        func update(_ old: JSONValue?, _ new: JSONValue, by manager: String) -> JSONValue {
            ServerSideApply.recordUpdate(old: old, new: new, manager: manager, time: "2026-11-27T00:00:00Z",
                                         ignoringStatus: true, schema: Self.schema, rootType: Self.root)
        }
        let created = update(nil, Self.deployment(replicas: 1), by: "kubectl-create")
        #expect(created.metadata.managedFields.first?[path: ["fieldsV1", "f:spec", "f:replicas"]] == .emptyObject)
        var scaled = created
        scaled[path: ["spec", "replicas"]] = 4
        let recorded = update(created, scaled, by: "kubectl-scale")
        let managers = recorded.metadata.managedFields.compactMap { $0["manager"]?.string }
        #expect(managers == ["kubectl-create", "kubectl-scale"])
        #expect(recorded.metadata.managedFields.first?[path: ["fieldsV1", "f:spec", "f:replicas"]] == nil)
        #expect(update(recorded, recorded, by: "noop") == recorded, "a write that changes nothing records nothing")

        // An applier whose field was changed by an update now conflicts with the updater.
        let applied = try Self.apply(Self.deployment(replicas: 3), onto: nil, as: "alice")
        var changed = applied
        changed[path: ["spec", "replicas"]] = 7
        let afterScale = update(applied, changed, by: "kubectl-scale")
        #expect(throws: ServerSideApply.Conflicts.self) { try Self.apply(Self.deployment(replicas: 3), onto: afterScale, as: "alice") }
    }
}
