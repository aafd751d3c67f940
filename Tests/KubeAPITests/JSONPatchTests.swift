import Testing
@testable import KubeAPI

@Suite struct JSONPatchTests {
    static let doc = #"{"metadata":{"name":"x","annotations":{"a/b":"1","m~n":"2"}},"spec":{"replicas":1,"list":[1,2,3]}}"#

    @Test(arguments: [
        (#"[{"op":"replace","path":"/spec/replicas","value":3}]"#, #"{"metadata":{"name":"x","annotations":{"a/b":"1","m~n":"2"}},"spec":{"replicas":3,"list":[1,2,3]}}"#),
        (#"[{"op":"add","path":"/spec/list/-","value":4},{"op":"add","path":"/spec/list/0","value":0}]"#, #"{"metadata":{"name":"x","annotations":{"a/b":"1","m~n":"2"}},"spec":{"replicas":1,"list":[0,1,2,3,4]}}"#),
        (#"[{"op":"remove","path":"/metadata/annotations/a~1b"},{"op":"remove","path":"/metadata/annotations/m~0n"}]"#, #"{"metadata":{"name":"x","annotations":{}},"spec":{"replicas":1,"list":[1,2,3]}}"#),
        (#"[{"op":"move","from":"/spec/list","path":"/items"}]"#, #"{"metadata":{"name":"x","annotations":{"a/b":"1","m~n":"2"}},"spec":{"replicas":1},"items":[1,2,3]}"#),
        (#"[{"op":"copy","from":"/spec/list/1","path":"/spec/list/0"}]"#, #"{"metadata":{"name":"x","annotations":{"a/b":"1","m~n":"2"}},"spec":{"replicas":1,"list":[2,1,2,3]}}"#),
        (#"[{"op":"test","path":"/spec/replicas","value":1.0},{"op":"add","path":"/metadata/labels","value":{"app":"w"}}]"#, #"{"metadata":{"name":"x","annotations":{"a/b":"1","m~n":"2"},"labels":{"app":"w"}},"spec":{"replicas":1,"list":[1,2,3]}}"#),
        (#"[{"op":"replace","path":"","value":{"a":1}}]"#, #"{"a":1}"#),
        (#"[{"op":"add","path":"/metadata/name","value":"y"}]"#, #"{"metadata":{"name":"y","annotations":{"a/b":"1","m~n":"2"}},"spec":{"replicas":1,"list":[1,2,3]}}"#),
        (#"[{"op":"remove","path":"/spec/list/1"}]"#, #"{"metadata":{"name":"x","annotations":{"a/b":"1","m~n":"2"}},"spec":{"replicas":1,"list":[1,3]}}"#),
    ])
    func applies(patch: String, expected: String) throws {
        let result = try JSONPatch.apply(json(patch), to: json(Self.doc))
        #expect(result.jsonString == expected)
    }

    @Test(arguments: [
        (#"[{"op":"replace","path":"/spec/missing","value":1}]"#, 422),
        (#"[{"op":"remove","path":"/spec/list/3"}]"#, 422),
        (#"[{"op":"add","path":"/spec/list/5","value":1}]"#, 422),
        (#"[{"op":"add","path":"/spec/list/01","value":1}]"#, 422),
        (#"[{"op":"add","path":"/nope/x","value":1}]"#, 422),
        (#"[{"op":"test","path":"/spec/replicas","value":2}]"#, 422),
        (#"[{"op":"move","from":"/spec","path":"/spec/inner"}]"#, 422),
        (#"[{"op":"jump","path":"/spec"}]"#, 400),
        (#"[{"op":"add","path":"spec","value":1}]"#, 400),
        (#"[{"op":"add","path":"/a~2"}]"#, 400),
        (#"[{"op":"add","path":"/spec/x"}]"#, 400),
        (#"{"op":"add"}"#, 400),
    ])
    func failsWithStatus(patch: String, status: Int) throws {
        let patchValue = try json(patch)
        let document = try json(Self.doc)
        #expect { try JSONPatch.apply(patchValue, to: document) } throws: { ($0 as? PatchError)?.httpStatus == status }
    }

    @Test func rolloutUndoShape() throws {
        let deployment = try json(#"{"metadata":{"name":"x","annotations":{"deployment.kubernetes.io/revision":"2"}},"spec":{"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}"#)
        let patch = try json(#"[{"op":"replace","path":"/spec/template","value":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"nginx:1.26"}]}}},{"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"1"}}]"#)
        let result = try JSONPatch.apply(patch, to: deployment)
        #expect(result[path: ["spec", "template", "spec", "containers"]]?[0]?["image"] == "nginx:1.26")
        #expect(result.metadata.annotations["deployment.kubernetes.io/revision"] == "1")
    }

    @Test func pointerEscaping() throws {
        let pointer = try JSONPointer(parsing: "/a~1b/m~0n/0")
        #expect(pointer.tokens == ["a/b", "m~n", "0"])
        #expect(pointer.description == "/a~1b/m~0n/0")
        #expect(try JSONPointer(parsing: "").tokens.isEmpty)
        #expect(try JSONPointer(parsing: "/").tokens == [""])
        #expect(try JSONPointer(parsing: "/~01").tokens == ["~1"])
    }
}

@Suite struct MergePatchTests {
    /// RFC 7386 appendix A test cases.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfc7386(target: String, patch: String, expected: String) throws {
        #expect(try MergePatch.apply(json(patch), to: json(target)).jsonString == expected)
    }

    @Test func kubectlLabelAndScale() throws {
        let pod = try json(#"{"metadata":{"name":"web","labels":{"app":"web","tier":"fe"}},"spec":{"replicas":1}}"#)
        let removed = MergePatch.apply(try json(#"{"metadata":{"labels":{"tier":null}}}"#), to: pod)
        #expect(removed.jsonString == #"{"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":1}}"#)
        let scaled = MergePatch.apply(try json(#"{"spec":{"replicas":3}}"#), to: pod)
        #expect(scaled["spec"]?["replicas"] == 3)
    }
}
