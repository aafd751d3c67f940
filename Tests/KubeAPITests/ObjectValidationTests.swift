import Testing
@testable import KubeAPI

@Suite struct ObjectValidationTests {
    func object(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

    let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}}}"#

    func paths(_ errors: [FieldError]) -> [String] { errors.map(\.path) }

    @Test func aGoodDeploymentIsValid() throws {
        #expect(ObjectValidation.validateCreate(try object(deployment)).isEmpty)
    }

    @Test(arguments: [
        ("\"name\":\"web\"", "\"name\":\"Web_1\"", "metadata.name", "RFC 1123"),
        ("\"image\":\"nginx:1.27\"", "\"image\":\"\"", "spec.template.spec.containers[0].image", "Required value"),
        ("\"name\":\"nginx\"", "\"name\":\"NGINX\"", "spec.template.spec.containers[0].name", "RFC 1123 label"),
        ("\"containerPort\":80", "\"containerPort\":70000", "spec.template.spec.containers[0].ports[0].containerPort", "between 1 and 65535"),
        ("\"replicas\":2", "\"replicas\":-1", "spec.replicas", "greater than or equal to 0"),
        ("\"matchLabels\":{\"app\":\"web\"}", "\"matchLabels\":{\"app\":\"other\"}", "spec.template.metadata.labels", "does not match"),
        ("\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\"", "\"labels\":{\"bad key!\":\"web\"}},\"spec\":{\"replicas\"", "metadata.labels", "name part must consist"),
    ])
    func invalidDeployments(from: String, to: String, path: String, message: String) throws {
        let text = deployment.replacingOccurrences(of: from, with: to)
        #expect(text != deployment, "the substitution must apply")
        let errors = ObjectValidation.validateCreate(try object(text))
        let match = errors.first { $0.path == path }
        #expect(match != nil, "\(errors)")
        #expect(match?.description.contains(message) == true, "\(errors)")
    }

    @Test func podRestartPolicyAndDuplicateContainers() throws {
        let pod = try object(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"restartPolicy":"Sometimes","containers":[{"name":"a","image":"x"},{"name":"a","image":"y"}]}}"#)
        let errors = ObjectValidation.validateCreate(pod)
        #expect(errors.contains { $0.path == "spec.restartPolicy" && $0.kind == .notSupported })
        #expect(errors.contains { $0.path == "spec.containers[1].name" && $0.kind == .duplicate })
        #expect(errors.first { $0.path == "spec.restartPolicy" }?.description
                == "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"")
    }

    @Test func generateNameStandsInForNameOnCreate() throws {
        let pod = try object(#"{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"p-"},"spec":{"containers":[{"name":"a","image":"x"}]}}"#)
        #expect(ObjectValidation.validateCreate(pod).isEmpty)
        let nameless = try object(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}"#)
        #expect(paths(ObjectValidation.validateCreate(nameless)) == ["metadata.name"])
    }

    @Test func namespacesAndServicesUseLabelNames() throws {
        #expect(!ObjectValidation.validateCreate(try object(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a.b"}}"#)).isEmpty)
        #expect(ObjectValidation.validateCreate(try object(#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"system:controller:x"}}"#)).isEmpty)
    }

    @Test func immutableFieldsStayImmutable() throws {
        let old = try object(deployment)
        var moved = old
        moved[path: ["spec", "selector", "matchLabels", "tier"]] = "x"
        moved[path: ["spec", "template", "metadata", "labels", "tier"]] = "x"
        #expect(paths(ObjectValidation.validateUpdate(moved, old: old)).contains("spec.selector"))
        var scaled = old
        scaled[path: ["spec", "replicas"]] = 5
        #expect(ObjectValidation.validateUpdate(scaled, old: old).isEmpty)
        var renamed = old
        renamed[path: ["metadata", "name"]] = "other"
        #expect(paths(ObjectValidation.validateUpdate(renamed, old: old)).contains("metadata.name"))

        let pod = try object(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x:1"}]}}"#)
        var newImage = pod
        newImage[path: ["spec", "containers"]] = [["name": "a", "image": "x:2"]]
        #expect(ObjectValidation.validateUpdate(newImage, old: pod).isEmpty)
        var newName = pod
        newName[path: ["spec", "containers"]] = [["name": "b", "image": "x:1"]]
        #expect(ObjectValidation.validateUpdate(newName, old: pod).first?.description.hasPrefix("spec: Forbidden: pod updates may not change fields") == true)

        let frozen = try object(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"immutable":true,"data":{"a":"1"}}"#)
        var changed = frozen
        changed[path: ["data", "a"]] = "2"
        #expect(paths(ObjectValidation.validateUpdate(changed, old: frozen)) == ["data"])
    }

    @Test func servicesNeedPortsUnlessHeadless() throws {
        let plain = try object(#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{}}"#)
        #expect(paths(ObjectValidation.validateCreate(plain)) == ["spec.ports"])
        let headless = try object(#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"clusterIP":"None"}}"#)
        #expect(ObjectValidation.validateCreate(headless).isEmpty)
    }

    @Test func labelRules() {
        #expect(MetadataValidation.qualifiedNameErrors("app.kubernetes.io/name").isEmpty)
        #expect(!MetadataValidation.qualifiedNameErrors("-bad").isEmpty)
        #expect(!MetadataValidation.qualifiedNameErrors("Bad_Prefix/x").isEmpty)
        #expect(MetadataValidation.labelValueErrors("").isEmpty)
        #expect(!MetadataValidation.labelValueErrors(String(repeating: "a", count: 64)).isEmpty)
    }
}
