import Testing
@testable import KubeAPI

@Suite struct LabelSelectorTests {
    static let labels = ["app": "web", "tier": "fe", "version": "3", "empty": ""]

    @Test(arguments: [
        ("", true), ("app=web", true), ("app==web", true), ("app!=web", false), ("app=db", false),
        ("missing!=x", true), ("app in (web,db)", true), ("app notin (web,db)", false), ("missing notin (a)", true),
        ("app", true), ("!app", false), ("!missing", true), ("missing", false), ("app=web,tier=fe", true),
        ("app=web,tier=be", false), ("version>2", true), ("version<3", false), ("app>1", false),
        ("empty=", true), ("empty", true), ("tier in (fe)", true), ("  app = web ,  tier  in ( fe , be )  ", true),
        ("app in (in, notin, web)", true), ("example.com/role notin ()", true), ("empty in ()", true),
    ])
    func matches(selector: String, expected: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(Self.labels) == expected)
    }

    @Test(arguments: [
        ("app=web", "app=web"), ("tier in (z,a,a), app", "app,tier in (a,z)"), ("b!=1,a==2", "a==2,b!=1"),
        ("!x", "!x"), ("k notin (b,a)", "k notin (a,b)"), ("n>5", "n>5"),
    ])
    func canonicalString(selector: String, expected: String) throws {
        #expect(try LabelSelector(parsing: selector).description == expected)
    }

    @Test(arguments: [
        "app=web,", "app=", "=web", "app in web", "app in (web", "app web", "!", "app=web=x", "a b c",
        "-bad=x", "app=-bad-", "ex ample=1", "app=" + String(repeating: "a", count: 64), "Example.com/x=1",
        "/x=1", "version>abc", "app in (a b)", ",", "app!", "x=(y)",
    ])
    func rejectsInvalid(selector: String) {
        // "app=" alone is legal (empty value); make sure only the invalid ones throw.
        if selector == "app=" {
            #expect((try? LabelSelector(parsing: selector)) != nil)
            return
        }
        #expect(throws: SelectorParseError.self) { try LabelSelector(parsing: selector) }
    }

    @Test func errorMessagesReadLikeUpstream() {
        #expect {
            try LabelSelector(parsing: "app=-bad-")
        } throws: { error in
            (error as? SelectorParseError)?.message.hasPrefix("unable to parse requirement: values[0][app]: Invalid value: \"-bad-\": a valid label must be an empty string") == true
        }
    }

    @Test func apiLabelSelector() throws {
        let selector = try LabelSelector(apiSelector: [
            "matchLabels": ["app": "web"],
            "matchExpressions": [
                ["key": "tier", "operator": "In", "values": ["fe", "be"]],
                ["key": "canary", "operator": "DoesNotExist"],
                ["key": "version", "operator": "Exists"],
                ["key": "zone", "operator": "NotIn", "values": ["z1"]],
            ],
        ])
        #expect(selector.matches(Self.labels))
        #expect(!selector.matches(["app": "web", "tier": "fe", "version": "1", "canary": "true"]))
        #expect(selector.description == "app=web,canary!,tier in (be,fe),version,zone notin (z1)".replacingCanary())
        #expect(try LabelSelector(apiSelector: nil).matches(Self.labels) == false)
        #expect(try LabelSelector(apiSelector: .null).matches(Self.labels) == false)
        #expect(try LabelSelector(apiSelector: [:]).matches(Self.labels))
        #expect(throws: SelectorParseError.self) {
            try LabelSelector(apiSelector: ["matchExpressions": [["key": "a", "operator": "Gt", "values": ["1"]]]])
        }
        #expect(throws: SelectorParseError.self) {
            try LabelSelector(apiSelector: ["matchExpressions": [["key": "a", "operator": "In", "values": []]]])
        }
        #expect(throws: SelectorParseError.self) {
            try LabelSelector(apiSelector: ["matchExpressions": [["key": "a", "operator": "Exists", "values": ["x"]]]])
        }
    }

    @Test func matchesObjectLabels() throws {
        let pod: JSONValue = ["metadata": ["name": "p", "labels": ["app": "web"]]]
        #expect(try LabelSelector(parsing: "app=web").matches(object: pod))
        #expect(try LabelSelector(parsing: "app!=web").matches(object: ["metadata": ["name": "q"]]))
    }
}

private extension String {
    /// `!canary` sorts by key like the others; this keeps the expected string readable above.
    func replacingCanary() -> String { replacing("canary!", with: "!canary") }
}

@Suite struct FieldSelectorTests {
    static let pod: JSONValue = [
        "metadata": ["name": "web", "namespace": "default"],
        "spec": ["nodeName": "node1", "hostNetwork": false, "restartPolicy": "Always"],
        "status": ["phase": "Running", "podIP": "10.0.0.7"],
    ]
    static let podFields = SelectableFields(paths: ["spec.nodeName", "spec.hostNetwork", "spec.restartPolicy",
                                                   "status.phase", "status.podIP", "spec.schedulerName"])

    @Test(arguments: [
        ("", true), ("metadata.name=web", true), ("metadata.name==web", true), ("metadata.name!=web", false),
        ("metadata.namespace!=kube-system", true), ("spec.nodeName=node1", true), ("spec.nodeName=", false),
        ("status.phase=Running,spec.nodeName=node1", true), ("status.phase!=Succeeded,status.phase!=Failed", true),
        ("spec.hostNetwork=false", true), ("spec.schedulerName=", true), ("status.podIP=10.0.0.7", true),
    ])
    func matches(selector: String, expected: Bool) throws {
        let parsed = try FieldSelector(parsing: selector)
        try parsed.validate(against: Self.podFields)
        #expect(parsed.matches(Self.pod, fields: Self.podFields) == expected)
    }

    @Test func escapingAndCanonicalForm() throws {
        let selector = try FieldSelector(parsing: #"metadata.name=a\,b\=c\\d,involvedObject.namespace="#)
        #expect(selector.requirements.map(\.value) == [#"a,b=c\d"#, ""])
        #expect(selector.description == #"metadata.name=a\,b\=c\\d,involvedObject.namespace="#)
        #expect(selector.requiredValue(for: "metadata.name") == "a,b=c\\d")
        #expect(throws: SelectorParseError.self) { try FieldSelector(parsing: #"a=b\x"#) }
        #expect(throws: SelectorParseError.self) { try FieldSelector(parsing: "a=b=c") }
        #expect(throws: SelectorParseError.self) { try FieldSelector(parsing: "justakey") }
    }

    @Test func unsupportedFieldIsA400Message() throws {
        let selector = try FieldSelector(parsing: "spec.foo=bar")
        #expect {
            try selector.validate(against: .metadataOnly)
        } throws: { ($0 as? SelectorParseError)?.message == "field label not supported: spec.foo" }
        #expect(!selector.matches(Self.pod, fields: .metadataOnly))
    }

    @Test func customHook() throws {
        let events = SelectableFields(supports: { $0.hasPrefix("involvedObject.") || $0 == "metadata.name" }) { field, object in
            SelectableFields.stringValue(object.value(atDottedPath: field))
        }
        let event: JSONValue = ["involvedObject": ["kind": "Node", "name": "node1"]]
        let selector = try FieldSelector(parsing: "involvedObject.name=node1,involvedObject.namespace=,involvedObject.kind=Node")
        try selector.validate(against: events)
        #expect(selector.matches(event, fields: events))
    }
}

@Suite struct TypedLabelSelectorTests {
    @Test func convertsGeneratedType() throws {
        let typed = MetaV1.LabelSelector(
            matchExpressions: [MetaV1.LabelSelectorRequirement(key: "tier", operator: "NotIn", values: ["db"])],
            matchLabels: ["app": "web"])
        let selector = try LabelSelector(typed)
        #expect(selector.description == "app=web,tier notin (db)")
        #expect(selector.matches(["app": "web", "tier": "fe"]))
        #expect(try !LabelSelector(nil as MetaV1.LabelSelector?).matches(["app": "web"]))
        #expect(try LabelSelector(MetaV1.LabelSelector()).matches(["x": "y"]))
    }
}
