import KubeAPI
import Testing
@testable import APIServer

@Suite("Table columns of cluster, network, config and storage kinds")
struct TableResourceColumnsTests {
    @Test func nodes() throws {
        #expect(try TableFixture.columns("nodes") == ["Name", "Status", "Roles", "Age", "Version", "Internal-IP",
                                                       "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"])
        var node = TableFixture.object("cp1", age: 4 * 86_400 + 7200, namespace: nil, [
            "spec": ["unschedulable": true],
            "status": [
                "conditions": [["type": "MemoryPressure", "status": "False"], ["type": "Ready", "status": "True"]],
                "addresses": [["type": "Hostname", "address": "cp1"], ["type": "InternalIP", "address": "10.0.0.4"]],
                "nodeInfo": ["kubeletVersion": "v1.32.4", "osImage": "Ubuntu 24.04", "kernelVersion": "6.8.0",
                             "containerRuntimeVersion": "containerd://2.0.0"],
            ],
        ])
        node[path: ["metadata", "labels"]] = ["node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "infra",
                                              "node-role.kubernetes.io/": "x"]
        #expect(try TableFixture.cells("nodes", node) == ["cp1", "Ready,SchedulingDisabled", "control-plane,infra", "4d2h",
            "v1.32.4", "10.0.0.4", "<none>", "Ubuntu 24.04", "6.8.0", "containerd://2.0.0"])
        let blank = TableFixture.object("n2", namespace: nil, ["status": ["conditions": [["type": "Ready", "status": "Unknown"]]]])
        #expect(try TableFixture.cells("nodes", blank) == ["n2", "NotReady", "<none>", "5m", "", "<none>", "<none>",
                                                           "<unknown>", "<unknown>", "<unknown>"])
        #expect(try TableFixture.cells("nodes", TableFixture.object("n3", namespace: nil))[1] == "Unknown")
    }

    @Test func services() throws {
        #expect(try TableFixture.columns("services") == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age",
                                                          "Selector"])
        let clusterIP = TableFixture.object("kubernetes", age: 86_400, [
            "spec": ["type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                     "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]]],
        ])
        #expect(try TableFixture.cells("services", clusterIP) == ["kubernetes", "ClusterIP", "10.96.0.1", "<none>",
                                                                  "443/TCP", "24h", "<none>"])
        let nodePort = TableFixture.object("web", [
            "spec": ["type": "NodePort", "clusterIP": "10.96.3.4", "externalIPs": ["1.2.3.4"],
                     "ports": [["port": 80, "nodePort": 30080], ["port": 53, "protocol": "UDP"]],
                     "selector": ["tier": "fe", "app": "web"]],
        ])
        #expect(try TableFixture.cells("services", nodePort) == ["web", "NodePort", "10.96.3.4", "1.2.3.4",
                                                                 "80:30080/TCP,53/UDP", "5m", "app=web,tier=fe"])
        let balancer = TableFixture.object("lb", [
            "spec": ["type": "LoadBalancer", "clusterIPs": ["10.96.9.9"], "ports": [["port": 80, "nodePort": 31000]]],
            "status": ["loadBalancer": ["ingress": [["ip": "5.6.7.8"], ["hostname": "lb.example.com"], ["ip": "5.6.7.8"]]]],
        ])
        #expect(try TableFixture.cells("services", balancer)[3] == "5.6.7.8,lb.example.com")
        var pending = balancer
        pending["status"] = nil
        #expect(try TableFixture.cells("services", pending)[3] == "<pending>")
        pending[path: ["spec", "externalIPs"]] = ["9.9.9.9"]
        #expect(try TableFixture.cells("services", pending)[3] == "9.9.9.9")
        let external = TableFixture.object("db", ["spec": ["type": "ExternalName", "externalName": "db.example.com"]])
        #expect(try TableFixture.cells("services", external)[1...4] == ["ExternalName", "<none>", "db.example.com", "<none>"])
        let headless = TableFixture.object("h", ["spec": ["clusterIP": "None", "clusterIPs": ["None"]]])
        #expect(try TableFixture.cells("services", headless)[1...2] == ["ClusterIP", "None"])
    }

    @Test func endpointsAndSlices() throws {
        let endpoints = TableFixture.object("web", [
            "subsets": [
                ["addresses": [["ip": "10.0.0.1"], ["ip": "10.0.0.2"]], "ports": [["port": 80], ["port": 443]]],
                ["addresses": [["ip": "fd00::1"]]],
            ],
        ])
        #expect(try TableFixture.cells("endpoints", endpoints)
            == ["web", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...", "5m"])
        let few = TableFixture.object("few", ["subsets": [["addresses": [["ip": "fd00::1"]], "ports": [["port": 53]]]]])
        #expect(try TableFixture.cells("endpoints", few)[1] == "[fd00::1]:53")
        #expect(try TableFixture.cells("endpoints", TableFixture.object("none"))[1] == "<none>")
        let slice = TableFixture.object("web-abc", [
            "addressType": "IPv4",
            "ports": [["port": 80], ["name": "metrics"], [:], ["port": 9090]],
            "endpoints": [["addresses": ["10.0.0.1"]], ["addresses": ["10.0.0.2"]]],
        ])
        #expect(try TableFixture.columns("endpointslices", group: "discovery.k8s.io")
            == ["Name", "AddressType", "Ports", "Endpoints", "Age"])
        #expect(try TableFixture.cells("endpointslices", group: "discovery.k8s.io", slice)
            == ["web-abc", "IPv4", "80,metrics,* + 1 more...", "10.0.0.1,10.0.0.2", "5m"])
        let empty = TableFixture.object("e", ["addressType": "IPv6"])
        #expect(try TableFixture.cells("endpointslices", group: "discovery.k8s.io", empty)[2...3] == ["<unset>", "<unset>"])
    }

    @Test func configMapsSecretsServiceAccountsNamespaces() throws {
        let configMap = TableFixture.object("cfg", ["data": ["a": "1", "b": "2"], "binaryData": ["c": "AA=="]])
        #expect(try TableFixture.columns("configmaps") == ["Name", "Data", "Age"])
        #expect(try TableFixture.cells("configmaps", configMap) == ["cfg", 3, "5m"])
        #expect(try TableFixture.cells("configmaps", TableFixture.object("empty")) == ["empty", 0, "5m"])
        let secret = TableFixture.object("tls", ["type": "kubernetes.io/tls", "data": ["tls.crt": "", "tls.key": ""],
                                                 "stringData": ["tls.key": "x", "ca.crt": "y"]])
        #expect(try TableFixture.columns("secrets") == ["Name", "Type", "Data", "Age"])
        #expect(try TableFixture.cells("secrets", secret) == ["tls", "kubernetes.io/tls", 3, "5m"])
        #expect(try TableFixture.cells("secrets", TableFixture.object("s"))[1...2] == ["Opaque", 0])
        let account = TableFixture.object("default", ["secrets": [["name": "t"]]])
        #expect(try TableFixture.columns("serviceaccounts") == ["Name", "Secrets", "Age"])
        #expect(try TableFixture.cells("serviceaccounts", account) == ["default", 1, "5m"])
        let namespace = TableFixture.object("kube-system", age: 600, namespace: nil, ["status": ["phase": "Active"]])
        #expect(try TableFixture.columns("namespaces") == ["Name", "Status", "Age"])
        #expect(try TableFixture.cells("namespaces", namespace) == ["kube-system", "Active", "10m"])
    }

    @Test func coreEvents() throws {
        #expect(try TableFixture.columns("events") == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source",
                                                        "Message", "First Seen", "Count", "Name"])
        #expect(try TableFixture.wideColumns("events") == ["Subobject", "Source", "First Seen", "Count", "Name"])
        let table = try TableFixture.table("events", TableFixture.object("web.17f", ["kind": "Event"]))
        #expect(table["columnDefinitions"]?[9]?["format"] == "name")
        #expect(table["columnDefinitions"]?[0]?["format"] == "")
        let event = TableFixture.object("web.17f", [
            "involvedObject": ["kind": "Pod", "name": "web", "fieldPath": "spec.containers{c}"],
            "reason": "Pulled", "message": "  Container image \"nginx\" already present\n", "type": "Normal",
            "source": ["component": "kubelet", "host": "node1"],
            "firstTimestamp": TableFixture.ago(600), "lastTimestamp": TableFixture.ago(60), "count": 4,
        ])
        #expect(try TableFixture.cells("events", event) == ["60s", "Normal", "Pulled", "pod/web", "spec.containers{c}",
            "kubelet, node1", "Container image \"nginx\" already present", "10m", 4, "web.17f"])
        let newStyle = TableFixture.object("n.1", [
            "involvedObject": ["kind": "Node"], "reason": "Starting", "type": "Normal", "message": "up",
            "eventTime": "2026-01-10T11:58:00.000000Z", "reportingComponent": "kube-proxy", "reportingInstance": "n1",
        ])
        #expect(try TableFixture.cells("events", newStyle) == ["2m", "Normal", "Starting", "node", "", "kube-proxy, n1", "up",
                                                               "2m", 1, "n.1"])
        let series = TableFixture.object("s.1", [
            "involvedObject": ["kind": "Pod", "name": "p"], "eventTime": "2026-01-10T11:00:00.000000Z",
            "series": ["count": 7, "lastObservedTime": "2026-01-10T11:59:30.000000Z"], "count": 2,
            "source": ["component": "scheduler"],
        ])
        let cells = try TableFixture.cells("events", series)
        #expect(cells[0] == "30s")
        #expect(cells[5] == "scheduler")
        #expect(cells[7] == "60m")
        #expect(cells[8] == 7)
        #expect(try TableFixture.cells("events", TableFixture.object("bare"))[0] == "<unknown>")
    }

    @Test func eventsAPIEvents() throws {
        #expect(try TableFixture.columns("events", group: "events.k8s.io") == TableFixture.columns("events"))
        let event = TableFixture.object("web.1", [
            "regarding": ["kind": "Deployment", "name": "web"], "note": "Scaled up replica set web-5d4f to 3",
            "reason": "ScalingReplicaSet", "type": "Normal", "reportingController": "deployment-controller",
            "eventTime": "2026-01-10T11:59:00.000000Z", "deprecatedCount": 3,
            "deprecatedFirstTimestamp": TableFixture.ago(7200), "deprecatedLastTimestamp": TableFixture.ago(120),
        ])
        #expect(try TableFixture.cells("events", group: "events.k8s.io", event)
            == ["2m", "Normal", "ScalingReplicaSet", "deployment/web", "", "deployment-controller",
                "Scaled up replica set web-5d4f to 3", "120m", 3, "web.1"])
    }

    @Test func rbacBindingsAndRoles() throws {
        let group = "rbac.authorization.k8s.io"
        #expect(try TableFixture.columns("rolebindings", group: group)
            == ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"])
        let binding = TableFixture.object("kubeadm:get-nodes", namespace: nil, [
            "roleRef": ["apiGroup": .string(group), "kind": "ClusterRole", "name": "kubeadm:get-nodes"],
            "subjects": [
                ["kind": "Group", "name": "system:bootstrappers:kubeadm:default-node-token"],
                ["kind": "User", "name": "alice"], ["kind": "User", "name": "bob"],
                ["kind": "ServiceAccount", "name": "builder", "namespace": "ci"],
            ],
        ])
        #expect(try TableFixture.cells("clusterrolebindings", group: group, binding)
            == ["kubeadm:get-nodes", "ClusterRole/kubeadm:get-nodes", "5m", "alice, bob",
                "system:bootstrappers:kubeadm:default-node-token", "ci/builder"])
        #expect(try TableFixture.columns("clusterroles", group: group) == ["Name", "Created At"])
    }

    @Test func persistentVolumesAndClaims() throws {
        #expect(try TableFixture.columns("persistentvolumes") == ["Name", "Capacity", "Access Modes", "Reclaim Policy",
            "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode"])
        let volume = TableFixture.object("pv1", namespace: nil, [
            "spec": ["capacity": ["storage": "10737418240"], "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "fast", "volumeMode": "Filesystem",
                     "claimRef": ["namespace": "default", "name": "data"]],
            "status": ["phase": "Bound"],
        ])
        #expect(try TableFixture.cells("persistentvolumes", volume) == ["pv1", "10737418240", "RWO,RWX", "Retain", "Bound",
            "default/data", "fast", "<unset>", "", "5m", "Filesystem"])
        var annotated = volume
        annotated[path: ["metadata", "annotations"]] = ["volume.beta.kubernetes.io/storage-class": "legacy"]
        annotated[path: ["spec", "capacity", "storage"]] = "10Gi"
        annotated[path: ["metadata", "deletionTimestamp"]] = TableFixture.ago(1)
        let cells = try TableFixture.cells("persistentvolumes", annotated)
        #expect([cells[1], cells[4], cells[6]] == ["10Gi", "Terminating", "legacy"])

        #expect(try TableFixture.columns("persistentvolumeclaims") == ["Name", "Status", "Volume", "Capacity",
            "Access Modes", "StorageClass", "VolumeAttributesClass", "Age", "VolumeMode"])
        let pending = TableFixture.object("data", ["spec": ["resources": ["requests": ["storage": "1Gi"]],
                                                            "accessModes": ["ReadWriteOnce"]],
                                                   "status": ["phase": "Pending"]])
        #expect(try TableFixture.cells("persistentvolumeclaims", pending)
            == ["data", "Pending", "", "", "", "", "<unset>", "5m", "<unset>"])
        let bound = TableFixture.object("data", ["spec": ["volumeName": "pv1", "storageClassName": "fast",
                                                          "volumeAttributesClassName": "gold", "volumeMode": "Block"],
                                                 "status": ["phase": "Bound", "capacity": ["storage": "2Gi"],
                                                            "accessModes": ["ReadWriteOncePod"]]])
        #expect(try TableFixture.cells("persistentvolumeclaims", bound)
            == ["data", "Bound", "pv1", "2Gi", "RWOP", "fast", "gold", "5m", "Block"])
    }

    @Test func storageClassesAndCSI() throws {
        let group = "storage.k8s.io"
        var standard = TableFixture.object("standard", namespace: nil, ["provisioner": "rancher.io/local-path",
                                                                          "volumeBindingMode": "WaitForFirstConsumer"])
        standard[path: ["metadata", "annotations"]] = ["storageclass.kubernetes.io/is-default-class": "true"]
        #expect(try TableFixture.columns("storageclasses", group: group) == ["Name", "Provisioner", "ReclaimPolicy",
            "VolumeBindingMode", "AllowVolumeExpansion", "Age"])
        #expect(try TableFixture.cells("storageclasses", group: group, standard)
            == ["standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "5m"])
        let expandable = TableFixture.object("fast", namespace: nil, ["provisioner": "csi.example.com",
                                                                        "reclaimPolicy": "Retain", "allowVolumeExpansion": true])
        #expect(try TableFixture.cells("storageclasses", group: group, expandable)[1...4]
            == ["csi.example.com", "Retain", "Immediate", true])
        let driver = TableFixture.object("csi.example.com", namespace: nil, ["spec": ["volumeLifecycleModes": ["Persistent"]]])
        #expect(try TableFixture.cells("csidrivers", group: group, driver)
            == ["csi.example.com", true, false, false, "<unset>", false, "Persistent", "5m"])
    }

    @Test func clusterKinds() throws {
        let lease = TableFixture.object("kube-scheduler", namespace: "kube-system", ["spec": ["holderIdentity": "cp1_abc"]])
        #expect(try TableFixture.cells("leases", group: "coordination.k8s.io", lease) == ["kube-scheduler", "cp1_abc", "5m"])
        #expect(try TableFixture.cells("leases", group: "coordination.k8s.io", TableFixture.object("l"))[1] == "")
        let priority = TableFixture.object("system-node-critical", namespace: nil, [
            "value": 2_000_001_000, "preemptionPolicy": "PreemptLowerPriority",
        ])
        #expect(try TableFixture.columns("priorityclasses", group: "scheduling.k8s.io")
            == ["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"])
        #expect(try TableFixture.cells("priorityclasses", group: "scheduling.k8s.io", priority)
            == ["system-node-critical", 2_000_001_000, false, "5m", "PreemptLowerPriority"])
        let csr = TableFixture.object("csr-abc", namespace: nil, [
            "spec": ["signerName": "kubernetes.io/kube-apiserver-client-kubelet", "username": "system:bootstrap:abcdef",
                     "expirationSeconds": 86_400],
            "status": ["conditions": [["type": "Approved", "status": "True"]], "certificate": "LS0t"],
        ])
        #expect(try TableFixture.columns("certificatesigningrequests", group: "certificates.k8s.io")
            == ["Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition"])
        #expect(try TableFixture.cells("certificatesigningrequests", group: "certificates.k8s.io", csr)
            == ["csr-abc", "5m", "kubernetes.io/kube-apiserver-client-kubelet", "system:bootstrap:abcdef", "24h",
                "Approved,Issued"])
        let denied = TableFixture.object("csr-d", namespace: nil, ["status": ["conditions": [
            ["type": "Approved", "status": "True"], ["type": "Denied", "status": "True"], ["type": "Failed", "status": "True"],
        ]]])
        #expect(try TableFixture.cells("certificatesigningrequests", group: "certificates.k8s.io", denied)[2...5]
            == ["<none>", "", "<none>", "Denied,Failed"])
        let quota = TableFixture.object("q", ["status": [
            "hard": ["requests.cpu": "1", "limits.memory": "2Gi", "pods": "10", "limits.cpu": "2"],
            "used": ["requests.cpu": "500m", "pods": "3", "limits.cpu": "0"],
        ]])
        #expect(try TableFixture.cells("resourcequotas", quota)
            == ["q", "pods: 3/10, requests.cpu: 500m/1", "limits.cpu: 0/2, limits.memory: 0/2Gi", "5m"])
    }
}
