import Foundation
import KubeAPI
import Testing
@testable import Kubelet

struct EnvironmentResolverTests {
    static let resolver = EnvironmentResolver(
        configMap: { namespace, name in
            name == "cfg" && namespace == "ns" ? ["data": ["A": "from-cm", "B": "b", "bad key": "x"]] : nil
        },
        secret: { _, name in name == "sec" ? ["data": ["PASSWORD": .string(Data("hunter2".utf8).base64EncodedString())]] : nil },
        serviceVariables: [("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443")],
        nodeAllocatable: ["cpu": "2", "memory": "4Gi"])

    static let pod: JSONValue = [
        "metadata": ["name": "p", "namespace": "ns", "uid": "u1", "labels": ["app": "web"]],
        "spec": ["nodeName": "n1"], "status": ["podIP": "10.244.0.9", "hostIP": "10.0.0.2"],
    ]

    @Test func everySourceResolvesInOrder() async throws {
        let container: JSONValue = [
            "name": "c",
            "resources": ["limits": ["cpu": "500m", "memory": "64Mi"]],
            "envFrom": [["configMapRef": ["name": "cfg"], "prefix": "CM_"]],
            "env": [
                ["name": "NAME", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]],
                ["name": "APP", "valueFrom": ["fieldRef": ["fieldPath": "metadata.labels['app']"]]],
                ["name": "IP", "valueFrom": ["fieldRef": ["fieldPath": "status.podIP"]]],
                ["name": "CPU", "valueFrom": ["resourceFieldRef": ["resource": "limits.cpu"]]],
                ["name": "MEM_MI", "valueFrom": ["resourceFieldRef": ["resource": "limits.memory", "divisor": "1Mi"]]],
                ["name": "PW", "valueFrom": ["secretKeyRef": ["name": "sec", "key": "PASSWORD"]]],
                ["name": "A", "valueFrom": ["configMapKeyRef": ["name": "cfg", "key": "A"]]],
                ["name": "GREETING", "value": "hi $(NAME) on $(NOPE) $$(NAME)"],
                ["name": "MAYBE", "valueFrom": ["configMapKeyRef": ["name": "absent", "key": "x", "optional": true]]],
            ],
        ]
        let env = try await Self.resolver.environment(for: container, in: Self.pod)
        let map = Dictionary(env, uniquingKeysWith: { $1 })
        #expect(env.first?.0 == "KUBERNETES_SERVICE_HOST")
        #expect(map["CM_A"] == "from-cm" && map["CM_B"] == "b" && map["CM_bad key"] == nil)
        #expect(map["NAME"] == "p" && map["APP"] == "web" && map["IP"] == "10.244.0.9")
        #expect(map["CPU"] == "1" && map["MEM_MI"] == "64")
        #expect(map["PW"] == "hunter2" && map["A"] == "from-cm")
        #expect(map["GREETING"] == "hi p on $(NOPE) $(NAME)")
        #expect(map["MAYBE"] == nil)
    }

    @Test func aMissingRequiredKeyIsAConfigError() async {
        let container: JSONValue = ["name": "c", "env": [["name": "X", "valueFrom": ["configMapKeyRef": ["name": "cfg", "key": "nope"]]]]]
        await #expect(throws: EnvironmentResolver.ConfigError.self) { try await Self.resolver.environment(for: container, in: Self.pod) }
    }
}
