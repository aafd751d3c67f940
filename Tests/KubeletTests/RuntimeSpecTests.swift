import Foundation
import KubeAPI
import Testing
@testable import Kubelet

/// The OCI config the kubelet writes for runc: its JSON shape and the security decisions in it.
struct RuntimeSpecTests {
    static let pod = PodIdentity(uid: "0c2b6d7e-1111-2222-3333-444455556666", namespace: "default", name: "web")
    static let everything = Set(LinuxCapabilities.all)

    static func builder(bounding: Set<String> = everything, canLower: Bool = true, v2: Bool = false) -> OCISpecBuilder {
        OCISpecBuilder(
            host: HostFacts(boundingCapabilities: bounding, canLowerOOMScore: canLower, ownOOMScoreAdj: 0),
            swapAccounting: true, cgroupV2: v2, hostDevices: { [OCISpec.Device(path: "/dev/fuse", type: "c", major: 10, minor: 229)] })
    }

    static func spec(_ configure: (inout ContainerSpec) -> Void = { _ in }) -> ContainerSpec {
        var spec = ContainerSpec(
            id: "abc123", pod: pod, name: "nginx", rootfs: "/var/lib/kubeadm-swift/rootfs/abc123",
            args: ["nginx", "-g", "daemon off;"], cgroupParent: "/kubepods/burstable/pod\(pod.uid)")
        configure(&spec)
        return spec
    }

    /// The config as runc reads it, as an untyped JSON object.
    static func json(_ spec: OCISpec) throws -> [String: Any] {
        let data = try OCISpecBuilder.encode(spec)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func defaultConfigShape() throws {
        let object = try Self.json(Self.builder().build(Self.spec()))
        #expect(object["ociVersion"] as? String == "1.0.2")
        let process = try #require(object["process"] as? [String: Any])
        #expect(process["args"] as? [String] == ["nginx", "-g", "daemon off;"])
        #expect(process["cwd"] as? String == "/")
        #expect(process["terminal"] as? Bool == false)
        #expect(process["noNewPrivileges"] == nil)
        #expect((process["env"] as? [String])?.first?.hasPrefix("PATH=") == true)
        let user = try #require(process["user"] as? [String: Any])
        #expect(user["uid"] as? Int == 0 && user["gid"] as? Int == 0)
        let caps = try #require(process["capabilities"] as? [String: [String]])
        #expect(Set(caps.keys) == ["bounding", "effective", "permitted"])
        #expect(Set(caps["bounding"] ?? []) == Set(LinuxCapabilities.defaults))
        let root = try #require(object["root"] as? [String: Any])
        #expect(root["path"] as? String == "/var/lib/kubeadm-swift/rootfs/abc123")
        #expect(root["readonly"] == nil)
        #expect(object["hostname"] == nil)

        let mounts = try #require(object["mounts"] as? [[String: Any]])
        #expect(mounts.compactMap { $0["destination"] as? String } == [
            "/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup",
        ])
        #expect((mounts[5]["options"] as? [String])?.contains("ro") == true)

        let linux = try #require(object["linux"] as? [String: Any])
        #expect(linux["cgroupsPath"] as? String == "/kubepods/burstable/pod\(Self.pod.uid)/abc123")
        let namespaces = try #require(linux["namespaces"] as? [[String: String]])
        #expect(namespaces == [["type": "pid"], ["type": "ipc"], ["type": "uts"], ["type": "network"], ["type": "mount"]])
        #expect((linux["maskedPaths"] as? [String])?.contains("/proc/kcore") == true)
        #expect((linux["readonlyPaths"] as? [String])?.contains("/proc/sys") == true)
        #expect(linux["devices"] == nil)
        let resources = try #require(linux["resources"] as? [String: Any])
        let devices = try #require(resources["devices"] as? [[String: Any]])
        #expect(devices.count == 1 && devices[0]["allow"] as? Bool == false && devices[0]["access"] as? String == "rwm")
        #expect(resources["cpu"] as? [String: Int] == ["shares": 2])
        #expect(resources["memory"] == nil)
    }

    @Test func resourcesBecomeSharesQuotaAndMemory() throws {
        let config = Self.builder().build(Self.spec {
            $0.resources = ContainerResources(cpuRequestMilli: 250, cpuLimitMilli: 500, memoryLimitBytes: 64 << 20)
            $0.pidsLimit = 100
        })
        let resources = try #require(config.linux.resources)
        #expect(resources.cpu == OCISpec.CPU(shares: 256, quota: 50_000, period: 100_000))
        #expect(resources.memory == OCISpec.Memory(limit: 64 << 20, swap: 64 << 20))
        #expect(resources.pids == OCISpec.Pids(limit: 100))
    }

    @Test func namespacesJoinAndHost() {
        let builder = Self.builder()
        let joined = builder.build(Self.spec {
            $0.namespaces = .pod(networkNamespacePath: "/run/netns/cni-1", sharedPID: "/proc/42/ns/pid")
            $0.hostname = "web"
        })
        #expect(joined.linux.namespaces == [
            .init(type: "pid", path: "/proc/42/ns/pid"), .init(type: "ipc"), .init(type: "uts"),
            .init(type: "network", path: "/run/netns/cni-1"), .init(type: "mount"),
        ])
        #expect(joined.hostname == "web")
        // hostNetwork: the host's network and UTS namespaces, so no hostname of our own.
        let host = builder.build(Self.spec {
            $0.namespaces = .pod(networkNamespacePath: nil, hostPID: true, hostIPC: true)
            $0.hostname = "web"
        })
        #expect(host.linux.namespaces == [.init(type: "mount")])
        #expect(host.hostname == nil)
        #expect(Self.builder(v2: true).build(Self.spec()).linux.namespaces.last == .init(type: "cgroup"))
    }

    @Test func securityContext() {
        let config = Self.builder(canLower: false).build(Self.spec {
            $0.security = ContainerSecurity(
                capabilitiesAdd: ["NET_ADMIN", "sys_time"], capabilitiesDrop: ["CHOWN", "CAP_KILL"],
                readOnlyRootFilesystem: true, allowPrivilegeEscalation: false)
            $0.user = ProcessUser(uid: 1000, gid: 1000, additionalGids: [1000, 50])
            $0.oomScoreAdj = -997
        })
        let caps = config.process.capabilities?.effective ?? []
        #expect(caps.contains("CAP_NET_ADMIN") && caps.contains("CAP_SYS_TIME"))
        #expect(!caps.contains("CAP_CHOWN") && !caps.contains("CAP_KILL"))
        #expect(config.process.noNewPrivileges == true)
        #expect(config.root.readonly == true)
        #expect(config.process.user == OCISpec.User(uid: 1000, gid: 1000, additionalGids: [1000, 50]))
        // Without CAP_SYS_RESOURCE a negative score would make runc fail: it is raised to our own.
        #expect(config.process.oomScoreAdj == 0)
    }

    @Test func privilegedGetsEverythingTheHostHas() {
        let bounding = Self.everything.subtracting(["CAP_SYS_RESOURCE"])
        let config = Self.builder(bounding: bounding).build(Self.spec {
            $0.security = ContainerSecurity(privileged: true, capabilitiesDrop: ["ALL"], allowPrivilegeEscalation: false)
        })
        let caps = config.process.capabilities?.bounding ?? []
        #expect(Set(caps) == bounding)
        #expect(config.process.noNewPrivileges == nil)
        #expect(config.linux.maskedPaths == nil && config.linux.readonlyPaths == nil)
        #expect(config.linux.devices?.first?.path == "/dev/fuse")
        #expect(config.linux.resources?.devices == [OCISpec.DeviceRule(allow: true, access: "rwm")])
        #expect(config.mounts.first { $0.destination == "/sys" }?.options?.contains("rw") == true)
    }

    @Test(arguments: [
        ([], [], LinuxCapabilities.defaults),
        (["ALL"], ["CHOWN"], LinuxCapabilities.all.filter { $0 != "CAP_CHOWN" }),
        (["NET_BIND_SERVICE"], ["ALL"], ["CAP_NET_BIND_SERVICE"]),
        (["ALL"], ["ALL"], []),
    ] as [([String], [String], [String])])
    func capabilityResolution(add: [String], drop: [String], expected: [String]) {
        let resolved = LinuxCapabilities.resolve(
            ContainerSecurity(capabilitiesAdd: add, capabilitiesDrop: drop), available: Self.everything)
        #expect(Set(resolved) == Set(expected))
    }

    @Test func capabilitiesNotInTheBoundingSetAreLeftOut() {
        let resolved = LinuxCapabilities.resolve(
            ContainerSecurity(capabilitiesAdd: ["SYS_RESOURCE", "SYS_ADMIN"]),
            available: LinuxCapabilities.names(inMask: "000001fffeffffff"))
        #expect(resolved.contains("CAP_SYS_ADMIN"))
        #expect(!resolved.contains("CAP_SYS_RESOURCE"))
    }

    @Test func podMountsReplaceDefaultsAndMountParentsFirst() {
        let config = Self.builder().build(Self.spec {
            $0.mounts = [
                .bind("/var/lib/kubelet/pods/x/volumes/cache", at: "/data/cache"),
                .bind("/var/lib/kubelet/pods/x/etc-hosts", at: "/etc/hosts", readOnly: true),
                .bind("/var/lib/kubelet/pods/x/volumes/data", at: "/data/"),
                .tmpfs(at: "/dev/shm", sizeBytes: 1 << 20),
                ContainerMount(destination: "/mnt/host", source: "/mnt", propagation: .hostToContainer),
            ]
        })
        let destinations = config.mounts.map(\.destination)
        #expect(destinations.filter { $0 == "/dev/shm" }.count == 1)
        let custom = Array(destinations.suffix(5))
        #expect(custom == ["/data", "/data/cache", "/etc/hosts", "/dev/shm", "/mnt/host"])
        let hosts = config.mounts.first { $0.destination == "/etc/hosts" }
        #expect(hosts == OCISpec.Mount(destination: "/etc/hosts", type: "bind", source: "/var/lib/kubelet/pods/x/etc-hosts",
                                       options: ["rbind", "rprivate", "ro"]))
        let shm = config.mounts.first { $0.destination == "/dev/shm" }
        #expect(shm?.type == "tmpfs" && shm?.options?.contains("size=1048576") == true)
        #expect(config.linux.rootfsPropagation == "rslave")
    }

    @Test func encodingIsDeterministic() throws {
        let spec = Self.spec { $0.annotations = ["b": "2", "a": "1"] }
        let first = try OCISpecBuilder.encode(Self.builder().build(spec))
        let second = try OCISpecBuilder.encode(Self.builder().build(spec))
        #expect(first == second)
        let decoded = try JSONDecoder().decode(OCISpec.self, from: first)
        #expect(decoded == Self.builder().build(spec))
    }

    @Test func specValidation() {
        #expect(throws: RuntimeError.self) { try Self.spec { $0.id = "../escape" }.validate() }
        #expect(throws: RuntimeError.self) { try Self.spec { $0.id = "" }.validate() }
        #expect(throws: RuntimeError.self) { try Self.spec { $0.args = [] }.validate() }
        #expect(throws: RuntimeError.self) { try Self.spec { $0.rootfs = "relative" }.validate() }
        #expect(throws: RuntimeError.self) { try Self.spec { $0.mounts = [.bind("/x", at: "y")] }.validate() }
        #expect(throws: RuntimeError.self) { try Self.spec { $0.pod.name = "a/b" }.validate() }
        #expect(throws: RuntimeError.self) { try Self.spec { $0.name = ".." }.validate() }
        #expect(throws: Never.self) { try Self.spec().validate() }
        #expect(["abc", "a.b_c-1", String(repeating: "x", count: 128)].allSatisfy(ContainerSpec.isValidID))
        #expect(!["", ".", "..", "../x", "a/b", "a b", String(repeating: "x", count: 129)].contains(where: ContainerSpec.isValidID))
    }

    @Test func securityFromThePodSpec() throws {
        let security = ContainerSecurity(
            pod: CoreV1.PodSecurityContext(sysctls: [CoreV1.Sysctl(name: "net.ipv4.ip_local_port_range", value: "1024 65000")]),
            container: CoreV1.SecurityContext(
                allowPrivilegeEscalation: false, capabilities: CoreV1.Capabilities(add: ["NET_ADMIN"], drop: ["ALL"]),
                readOnlyRootFilesystem: true))
        #expect(security == ContainerSecurity(
            capabilitiesAdd: ["NET_ADMIN"], capabilitiesDrop: ["ALL"], readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false, sysctls: ["net.ipv4.ip_local_port_range": "1024 65000"]))
        #expect(ContainerSecurity(pod: nil, container: nil) == ContainerSecurity())
        let user = try ProcessUser.resolve(
            imageUser: "0", pod: CoreV1.PodSecurityContext(fsGroup: 2000, runAsGroup: 3000, runAsUser: 1000, supplementalGroups: [4000]),
            container: CoreV1.SecurityContext(runAsUser: 1001), rootfs: "/nonexistent")
        #expect(user == ProcessUser(uid: 1001, gid: 3000, additionalGids: [3000, 4000, 2000]))
    }

    @Test func usersResolveFromTheImage() throws {
        let rootfs = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: rootfs + "/etc", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: rootfs) }
        try "root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101::/:/bin/false\n# comment\n"
            .write(toFile: rootfs + "/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\nnginx:x:101:\nwww:x:33:nginx\nadm:x:4:root,nginx\n"
            .write(toFile: rootfs + "/etc/group", atomically: true, encoding: .utf8)
        func resolve(_ user: String?, _ uid: Int64? = nil, _ gid: Int64? = nil, _ extra: [Int64] = []) throws -> ProcessUser {
            try ProcessUser.resolve(imageUser: user, runAsUser: uid, runAsGroup: gid, supplementalGroups: extra, rootfs: rootfs)
        }
        #expect(try resolve(nil) == ProcessUser(uid: 0, gid: 0, additionalGids: [0, 4]))
        #expect(try resolve("nginx") == ProcessUser(uid: 101, gid: 101, additionalGids: [101, 33, 4]))
        #expect(try resolve("nginx:www") == ProcessUser(uid: 101, gid: 33, additionalGids: [33, 4]))
        #expect(try resolve("5000") == ProcessUser(uid: 5000, gid: 0, additionalGids: [0]))
        #expect(try resolve("5000:6000") == ProcessUser(uid: 5000, gid: 6000, additionalGids: [6000]))
        #expect(try resolve("nginx", 101, 7, [2000]) == ProcessUser(uid: 101, gid: 7, additionalGids: [7, 33, 4, 2000]))
        #expect(try resolve("nginx", 1234) == ProcessUser(uid: 1234, gid: 0, additionalGids: [0]))
        #expect(throws: RuntimeError.self) { try resolve("nobody") }
        #expect(throws: RuntimeError.self) { try resolve("nginx:nogroup") }
    }
}
