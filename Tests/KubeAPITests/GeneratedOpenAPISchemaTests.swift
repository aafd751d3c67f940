import Testing

@testable import KubeAPI

/// The generated OpenAPI v3 schema table (Generated/OpenAPISchemaTable.swift) and its reader.
@Suite struct GeneratedOpenAPISchemaTests {
    @Test func everyDefinitionIsCompactJSONInUpstreamV3Shape() throws {
        let names = GeneratedOpenAPISchema.definitionNames
        #expect(names.count > 400)
        for name in names {
            let text = try #require(GeneratedOpenAPISchema.schemaJSON(name))
            let schema = try JSONValue(parsing: Array(text.utf8))
            #expect(schema.object != nil, "\(name)")
            #expect(!text.contains("#/$defs/"), "\(name) still has JSON-schema references")
            #expect(!text.contains(#""null""#), "\(name) still has nullable types")
        }
    }

    @Test func podCarriesDescriptionsTypesAndItsGroupVersionKind() throws {
        let pod = try JSONValue(parsing: Array(try #require(GeneratedOpenAPISchema.schemaJSON("io.k8s.api.core.v1.Pod")).utf8))
        #expect(pod["description"]?.string?.hasPrefix("Pod is a collection of containers") == true)
        #expect(pod["type"]?.string == "object")
        #expect(pod[path: ["properties", "kind", "type"]]?.string == "string")
        #expect(pod[path: ["properties", "kind", "enum"]] == nil, "upstream has no enum on kind")
        #expect(pod[path: ["properties", "spec", "allOf"]]?[0]?["$ref"]?.string == "#/components/schemas/io.k8s.api.core.v1.PodSpec")
        #expect(pod[path: ["properties", "spec", "description"]]?.string?.hasPrefix("Specification of the desired behavior") == true)
        let gvk = try #require(pod["x-kubernetes-group-version-kind"]?.array)
        #expect(gvk == [["group": "", "kind": "Pod", "version": "v1"]])
    }

    @Test func listExtensionsAreKept() throws {
        let spec = try JSONValue(parsing: Array(try #require(GeneratedOpenAPISchema.schemaJSON("io.k8s.api.core.v1.PodSpec")).utf8))
        let containers = try #require(spec[path: ["properties", "containers"]])
        #expect(containers["type"]?.string == "array")
        #expect(containers[path: ["items", "$ref"]]?.string == "#/components/schemas/io.k8s.api.core.v1.Container")
        #expect(containers["x-kubernetes-list-type"]?.string == "map")
        #expect(containers["x-kubernetes-list-map-keys"]?.array == ["name"])
        #expect(containers["x-kubernetes-patch-strategy"]?.string == "merge")
        #expect(containers["x-kubernetes-patch-merge-key"]?.string == "name")
        #expect(spec["required"]?.array == ["containers"])
    }

    @Test func intOrStringAndQuantityHaveUpstreamShape() throws {
        let intOrString = try JSONValue(parsing: Array(try #require(
            GeneratedOpenAPISchema.schemaJSON("io.k8s.apimachinery.pkg.util.intstr.IntOrString")).utf8))
        #expect(intOrString["format"]?.string == "int-or-string")
        #expect(intOrString["type"] == nil)
        #expect(intOrString["description"]?.string?.hasPrefix("IntOrString is a type") == true)
        let quantity = try JSONValue(parsing: Array(try #require(
            GeneratedOpenAPISchema.schemaJSON("io.k8s.apimachinery.pkg.api.resource.Quantity")).utf8))
        #expect(quantity["oneOf"]?.array?.count == 2)
    }

    @Test func closureFollowsReferencesButNotFieldsNamedRef() {
        #expect(GeneratedOpenAPISchema.references(of: "io.k8s.api.core.v1.PodSpec").contains("io.k8s.api.core.v1.Container"))
        let closure = GeneratedOpenAPISchema.closure(of: ["io.k8s.api.apps.v1.Deployment"])
        #expect(closure == closure.sorted())
        for name in ["io.k8s.api.apps.v1.DeploymentStrategy", "io.k8s.api.core.v1.Container",
                     "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "io.k8s.apimachinery.pkg.util.intstr.IntOrString"] {
            #expect(closure.contains(name), "\(name)")
        }
        // JSONSchemaProps has a field named "$ref"; only real references count.
        let props = GeneratedOpenAPISchema.references(of: "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps")
        #expect(props.allSatisfy { GeneratedOpenAPISchema.schemaJSON($0) != nil })
        #expect(GeneratedOpenAPISchema.closure(of: ["no.such.Definition"]).isEmpty)
    }
}
