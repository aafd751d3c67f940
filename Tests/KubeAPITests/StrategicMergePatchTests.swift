import Testing
@testable import KubeAPI

/// Upstream `customStrategicMergePatchTestCaseData` and raw cases from apimachinery's strategicpatch tests,
/// applied to the `MergeItem` test type.
@Suite struct StrategicMergePatchUpstreamCases {
    static let schema = TestPatchSchema()

    @Test(arguments: [
        // unique scalars when merging lists
        (#"{"mergingIntList":[1,2]}"#, #"{"mergingIntList":[2,3]}"#, #"{"mergingIntList":[1,2,3]}"#),
        // delete map from nested map
        (#"{"simpleMap":{"key1":1,"key2":1}}"#, #"{"simpleMap":{"$patch":"delete"}}"#, #"{"simpleMap":{}}"#),
        // delete all items from merging list
        (#"{"mergingList":[{"name":1},{"name":2}]}"#, #"{"mergingList":[{"$patch":"replace"}]}"#, #"{"mergingList":[]}"#),
        // merge empty merging lists
        (#"{"mergingList":[]}"#, #"{"mergingList":[]}"#, #"{"mergingList":[]}"#),
        // delete all keys from map
        (#"{"name":1,"value":1}"#, #"{"$patch":"replace"}"#, #"{}"#),
        // add key and delete all keys from map
        (#"{"name":1,"value":1}"#, #"{"other":"a","$patch":"replace"}"#, #"{"other":"a"}"#),
        // delete all duplicate entries in a merging list
        (#"{"mergingList":[{"name":1},{"name":1},{"name":2,"value":"a"},{"name":3},{"name":3}]}"#,
         #"{"mergingList":[{"name":1,"$patch":"delete"},{"name":3,"$patch":"delete"}]}"#,
         #"{"mergingList":[{"name":2,"value":"a"}]}"#),
        // retainKeys map can add / change / delete a field when no retainKeys directive present; merge an empty map
        (#"{"retainKeysMap":{"name":"foo"}}"#, #"{"retainKeysMap":{"value":"bar"}}"#, #"{"retainKeysMap":{"name":"foo","value":"bar"}}"#),
        (#"{"retainKeysMap":{"name":"foo","value":"a"}}"#, #"{"retainKeysMap":{"value":"b"}}"#, #"{"retainKeysMap":{"name":"foo","value":"b"}}"#),
        (#"{"retainKeysMap":{"name":"foo","value":"a"}}"#, #"{"retainKeysMap":{"value":null}}"#, #"{"retainKeysMap":{"name":"foo"}}"#),
        (#"{"retainKeysMap":{"name":"foo","value":"a"}}"#, #"{"retainKeysMap":{}}"#, #"{"retainKeysMap":{"name":"foo","value":"a"}}"#),
        // retainKeys list can add / change / delete a field when no retainKeys directive present
        (#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]}"#, #"{"retainKeysMergingList":[{"name":"foo","value":"a"}]}"#,
         #"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]}"#),
        (#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]}"#, #"{"retainKeysMergingList":[{"name":"foo","value":null}]}"#,
         #"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]}"#),
        // preserve the order from the patch in a merging list (1 and 2)
        (#"{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]}"#,
         #"{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},{"name":2,"other":"x"}]}"#,
         #"{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},{"name":2,"value":"b","other":"x"}]}"#),
        (#"{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]}"#,
         #"{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"}]}"#,
         #"{"mergingList":[{"name":2,"value":"b"},{"name":3,"value":"c"},{"name":1,"value":"a"}]}"#),
        // preserve the order from the patch in a merging int list (1 and 2)
        (#"{"mergingIntList":[1,2,3]}"#, #"{"mergingIntList":[3,1,2]}"#, #"{"mergingIntList":[3,1,2]}"#),
        (#"{"mergingIntList":[1,2,3]}"#, #"{"mergingIntList":[3,1]}"#, #"{"mergingIntList":[2,3,1]}"#),
        // $setElementOrder contains item that is not present in the list to be merged
        (#"{"mergingList":[{"name":1},{"name":3}]}"#,
         #"{"$setElementOrder/mergingList":[{"name":3},{"name":2},{"name":1}],"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#,
         #"{"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#),
        // non-merging lists are replaced; replace-strategy maps are replaced
        (#"{"nonMergingList":[{"name":1},{"name":2}]}"#, #"{"nonMergingList":[{"name":3}]}"#, #"{"nonMergingList":[{"name":3}]}"#),
        (#"{"replacingItem":{"a":1,"b":2}}"#, #"{"replacingItem":{"c":3}}"#, #"{"replacingItem":{"c":3}}"#),
        // $deleteFromPrimitiveList and $retainKeys on a merging list item
        (#"{"mergingIntList":[1,2,3]}"#, #"{"$deleteFromPrimitiveList/mergingIntList":[2,5]}"#, #"{"mergingIntList":[1,3]}"#),
        (#"{"retainKeysMergingList":[{"name":"foo","a":1,"b":2}]}"#, #"{"retainKeysMergingList":[{"$retainKeys":["b","c","name"],"c":3,"name":"foo"}]}"#,
         #"{"retainKeysMergingList":[{"name":"foo","b":2,"c":3}]}"#),
    ])
    func upstreamCase(original: String, patch: String, expected: String) throws {
        let result = try StrategicMergePatch.apply(json(patch), to: json(original), schema: Self.schema, rootType: "MergeItem")
        #expect(result.jsonString == expected)
    }

    @Test(arguments: [
        (#"{"mergingList":[{"name":1}]}"#, #"{"mergingList":[{"value":1}]}"#, 422),  // missing merge key
        (#"{"mergingList":[{"name":1}]}"#, #"{"mergingList":[{"$patch":"merge"}]}"#, 400),
        (#"{"simpleMap":{"a":"b"}}"#, #"{"simpleMap":{"$patch":"merge"}}"#, 400),
        (#"{"retainKeysMap":{"name":"a"}}"#, #"{"retainKeysMap":{"$retainKeys":["name"],"value":"x"}}"#, 400),
        (#"{"mergingList":[{"name":1},{"name":2}]}"#, #"{"$setElementOrder/mergingList":[{"name":1}],"mergingList":[{"name":2,"v":1}]}"#, 400),
        (#"{"mergingList":[[1]]}"#, #"{"mergingList":[[2]]}"#, 422),
        (#"{"mergingIntList":[1,"a"]}"#, #"{"mergingIntList":[2]}"#, 422),
        (#"{}"#, #"[1]"#, 400),
    ])
    func errors(original: String, patch: String, status: Int) throws {
        let patchValue = try json(patch)
        let originalValue = try json(original)
        #expect {
            try StrategicMergePatch.apply(patchValue, to: originalValue, schema: Self.schema, rootType: "MergeItem")
        } throws: { ($0 as? PatchError)?.httpStatus == status }
    }
}

/// What kubectl sends for Deployments and Pods, with the results upstream's merge gives.
@Suite struct StrategicMergePatchKubectlCases {
    static let schema = TestPatchSchema()
    static let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","annotations":{"deployment.kubernetes.io/revision":"1"},"finalizers":["a","b"]},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.25","args":["-g","daemon off;"],"ports":[{"containerPort":80,"protocol":"TCP"}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"volumeMounts":[{"name":"cfg","mountPath":"/etc/cfg"}]},{"name":"sidecar","image":"busybox"}],"volumes":[{"name":"cfg","configMap":{"name":"web-config"}}],"tolerations":[{"key":"k","operator":"Exists"}]}}}}"#

    func patched(_ patch: String) throws -> JSONValue {
        try StrategicMergePatch.apply(json(patch), to: json(Self.deployment), schema: Self.schema)
    }

    func podSpec(_ value: JSONValue) -> JSONValue? { value[path: ["spec", "template", "spec"]] }

    @Test func setImage() throws {
        let result = try patched(#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}"#)
        let expected = try json(Self.deployment.replacing("nginx:1.25", with: "nginx:1.27"))
        #expect(result.isIdentical(to: expected))
    }

    @Test func rolloutRestartAddsTemplateAnnotation() throws {
        let result = try patched(#"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-26T16:34:55Z"}}}}}"#)
        #expect(result[path: ["spec", "template", "metadata"]]?.jsonString
            == #"{"labels":{"app":"web"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-26T16:34:55Z"}}"#)
        #expect(podSpec(result) == podSpec(try json(Self.deployment)))
    }

    @Test func applyThreeWayPatchWithSetElementOrder() throws {
        let result = try patched(#"{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],"containers":[{"image":"nginx:1.26","name":"nginx"}]}}}}"#)
        #expect(result.metadata.annotations.keys.elements == ["deployment.kubernetes.io/revision", "kubectl.kubernetes.io/last-applied-configuration"])
        #expect(podSpec(result)?["containers"]?.array?.map { $0["image"]?.string } == ["nginx:1.26", "busybox"])
    }

    @Test func applyRemovesContainerAndReordersEnv() throws {
        // kubectl apply after deleting "sidecar" from the file and inserting env NEW between A and B.
        let result = try patched(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"NEW"},{"name":"B"}],"env":[{"name":"NEW","value":"n"}],"name":"nginx"},{"$patch":"delete","name":"sidecar"}]}}}}"#)
        let containers = podSpec(result)?["containers"]?.array ?? []
        #expect(containers.map { $0["name"]?.string } == ["nginx"])
        #expect(containers.first?["env"]?.jsonString == #"[{"name":"A","value":"1"},{"name":"NEW","value":"n"},{"name":"B","value":"2"}]"#)
    }

    @Test func editChangesPortsEnvAndArgs() throws {
        // kubectl edit: env B removed by directive, port added, args (atomic) replaced.
        let result = try patched(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"A"}],"$setElementOrder/ports":[{"containerPort":80},{"containerPort":443}],"args":["-g","daemon on;"],"env":[{"$patch":"delete","name":"B"}],"name":"nginx","ports":[{"containerPort":443,"protocol":"TCP"}]}]}}}}"#)
        let nginx = podSpec(result)?["containers"]?[0]
        #expect(nginx?["env"]?.jsonString == #"[{"name":"A","value":"1"}]"#)
        #expect(nginx?["ports"]?.jsonString == #"[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}]"#)
        #expect(nginx?["args"]?.jsonString == #"["-g","daemon on;"]"#)
    }

    @Test func newMergeItemsWithoutOrderGoFirst() throws {
        // Upstream's mergeSortedSlice puts patch items that the live list lacks before server-only items when no
        // $setElementOrder is given (kubectl always sends one; hand-written patches do not).
        let result = try patched(#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":443}]}]}}}}"#)
        #expect(podSpec(result)?["containers"]?[0]?["ports"]?.jsonString == #"[{"containerPort":443},{"containerPort":80,"protocol":"TCP"}]"#)
        let finalizers = try patched(#"{"metadata":{"finalizers":["c"]}}"#)
        #expect(finalizers.metadata.finalizers == ["c", "a", "b"])
    }

    @Test func primitiveSetDirectives() throws {
        let ordered = try patched(#"{"metadata":{"$setElementOrder/finalizers":["a","b","c"],"finalizers":["c"]}}"#)
        #expect(ordered.metadata.finalizers == ["a", "b", "c"])
        let removed = try patched(#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#)
        #expect(removed.metadata.finalizers == ["b"])
        let emptyLists = try StrategicMergePatch.apply(
            json(#"{"metadata":{"$setElementOrder/finalizers":[],"finalizers":[]}}"#),
            to: json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"finalizers":[]}}"#), schema: Self.schema)
        #expect(emptyLists.jsonString == #"{"apiVersion":"v1","kind":"Pod","metadata":{"finalizers":[]}}"#)
        let duplicate = try patched(#"{"metadata":{"finalizers":["b"]}}"#)
        #expect(duplicate.metadata.finalizers == ["a", "b"])
    }

    @Test func retainKeysSwitchesVolumeSourceAndStrategy() throws {
        let volume = try patched(#"{"spec":{"template":{"spec":{"volumes":[{"$retainKeys":["emptyDir","name"],"emptyDir":{},"name":"cfg"}]}}}}"#)
        #expect(podSpec(volume)?["volumes"]?.jsonString == #"[{"name":"cfg","emptyDir":{}}]"#)
        let strategy = try patched(#"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}"#)
        #expect(strategy["spec"]?["strategy"]?.jsonString == #"{"type":"Recreate"}"#)
        let plain = try patched(#"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1}}}}"#)
        #expect(plain["spec"]?["strategy"]?.jsonString == #"{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}}"#)
    }

    @Test func mapDirectivesNullsAndAtomicLists() throws {
        let replacedLabels = try patched(#"{"spec":{"template":{"metadata":{"labels":{"$patch":"replace","app":"web","v":"2"}}}}}"#)
        #expect(replacedLabels[path: ["spec", "template", "metadata", "labels"]]?.jsonString == #"{"app":"web","v":"2"}"#)
        let nulls = try patched(#"{"spec":{"replicas":null,"paused":null,"minReadySeconds":5}}"#)
        #expect(nulls["spec"]?["replicas"] == nil)
        #expect(nulls["spec"]?["paused"] == nil)
        #expect(nulls["spec"]?["minReadySeconds"] == 5)
        let tolerations = try patched(#"{"spec":{"template":{"spec":{"tolerations":[{"key":"other","operator":"Exists"}]}}}}"#)
        #expect(podSpec(tolerations)?["tolerations"]?.jsonString == #"[{"key":"other","operator":"Exists"}]"#)
        let inserted = try patched(#"{"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd","gone":null},"initContainers":[{"name":"init","image":"busybox","env":[{"name":"X","value":null}]}]}}}}"#)
        #expect(podSpec(inserted)?["nodeSelector"]?.jsonString == #"{"disk":"ssd"}"#)
        #expect(podSpec(inserted)?["initContainers"]?.jsonString == #"[{"name":"init","image":"busybox","env":[{"name":"X"}]}]"#)
    }

    @Test func scaleAndCordonStylePatches() throws {
        let scaled = try patched(#"{"spec":{"replicas":5}}"#)
        #expect(scaled["spec"]?["replicas"] == 5)
        let node = try json(#"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24"}}"#)
        let cordoned = try StrategicMergePatch.apply(json(#"{"spec":{"unschedulable":true}}"#), to: node, schema: Self.schema)
        #expect(cordoned.jsonString == #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24","unschedulable":true}}"#)
    }

    @Test func withoutSchemaListsAreReplaced() throws {
        let crd = try json(#"{"apiVersion":"example.com/v1","kind":"Widget","spec":{"items":[{"name":"a"},{"name":"b"}],"size":1}}"#)
        let result = try StrategicMergePatch.apply(json(#"{"spec":{"items":[{"name":"c"}]}}"#), to: crd, schema: nil)
        #expect(result["spec"]?.jsonString == #"{"items":[{"name":"c"}],"size":1}"#)
    }

    @Test func typeChangeReplacesValue() throws {
        let result = try patched(#"{"spec":{"replicas":{"weird":true,"n":null}}}"#)
        #expect(result["spec"]?["replicas"]?.jsonString == #"{"weird":true}"#)
    }
}

@Suite struct ServerSideApplyTests {
    static let schema = TestPatchSchema()

    @Test func createsWhenAbsent() throws {
        let intent = try json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":null},"spec":{}}"#)
        #expect(ServerSideApply.apply(intent, onto: nil, schema: Self.schema).jsonString == #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{}}"#)
    }

    @Test func mergesListMapsByKeysAndReplacesAtomicLists() throws {
        let live = try json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"1"},"finalizers":["x"]},"spec":{"containers":[{"name":"c","image":"nginx:1.25","args":["a"],"ports":[{"containerPort":80,"protocol":"TCP"}],"env":[{"name":"A","value":"1"}]},{"name":"other","image":"busybox"}],"tolerations":[{"key":"t"}]}}"#)
        let intent = try json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"b":"2"},"finalizers":["y","x"]},"spec":{"containers":[{"name":"c","image":"nginx:1.27","args":["b"],"ports":[{"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":80,"protocol":"UDP"}],"env":[{"name":"B","value":"2"}]},{"name":"new","image":"x"}],"tolerations":[{"key":"u"}]}}"#)
        let result = ServerSideApply.apply(intent, onto: live, schema: Self.schema)
        #expect(result.jsonString == #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"1","b":"2"},"finalizers":["x","y"]},"spec":{"containers":[{"name":"c","image":"nginx:1.27","args":["b"],"ports":[{"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":80,"protocol":"UDP"}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"other","image":"busybox"},{"name":"new","image":"x"}],"tolerations":[{"key":"u"}]}}"#)
    }

    @Test func nullRemovesAField() throws {
        let live = try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"2"}}"#)
        let intent = try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"b":null,"c":"3"}}"#)
        #expect(ServerSideApply.apply(intent, onto: live, schema: nil)["data"]?.jsonString == #"{"a":"1","c":"3"}"#)
    }
}
