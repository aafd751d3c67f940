import Foundation
import Testing
@testable import Kubelet

/// Reference normalization, pull policies and the CLI's formatting: pure functions, no root needed.
struct ImageReferenceTests {
    @Test(arguments: [
        ("busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"),
        ("library/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("index.docker.io/library/busybox:1", "docker.io/library/busybox:1", "busybox:1"),
        ("me/app:v2", "docker.io/me/app:v2", "me/app:v2"),
        ("localhost/app", "localhost/app:latest", "localhost/app:latest"),
        ("localhost:5000/team/app:1.0", "localhost:5000/team/app:1.0", "localhost:5000/team/app:1.0"),
        ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
        ("kubeadm-swift.local/kubeadm-swift:v1.32.4", "kubeadm-swift.local/kubeadm-swift:v1.32.4",
         "kubeadm-swift.local/kubeadm-swift:v1.32.4"),
        ("a__b/c-d.e:T_1", "docker.io/a__b/c-d.e:T_1", "a__b/c-d.e:T_1"),
    ])
    func normalizes(input: String, normalized: String, familiar: String) throws {
        let reference = try ImageReference(parsing: input)
        #expect(reference.description == normalized)
        #expect(reference.familiar == familiar)
    }

    @Test func digestReferencesKeepNoDefaultTag() throws {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let reference = try ImageReference(parsing: "busybox@" + digest)
        #expect(reference.description == "docker.io/library/busybox@" + digest)
        #expect(reference.tag == nil)
        let both = try ImageReference(parsing: "busybox:1.36@" + digest)
        #expect(both.tag == "1.36" && both.digest?.description == digest)
        #expect(both.tagged?.description == "docker.io/library/busybox:1.36")
    }

    @Test(arguments: ["", "Busybox", "busybox:", "busybox:-x", "a//b", "-a/b", "a/b_", "busybox@sha256:12",
                      "busybox@md5:00", "host:99999/app", "a/" + String(repeating: "x", count: 260)])
    func rejectsInvalid(input: String) {
        #expect(throws: ImageStoreError.self) { try ImageReference(parsing: input) }
    }

    @Test func invalidReferenceMessageSaysTheForm() {
        let error = #expect(throws: ImageStoreError.self) { try ImageReference(parsing: "Busybox") }
        #expect(error?.description.contains("NAME[:TAG]") == true)
    }

    @Test(arguments: [
        (nil, "busybox", ImagePullPolicy.always),
        (nil, "busybox:latest", .always),
        (nil, "busybox:1.36", .ifNotPresent),
        (nil, "busybox@sha256:" + String(repeating: "0", count: 64), .ifNotPresent),
        ("Never", "busybox", .never),
        ("IfNotPresent", "busybox", .ifNotPresent),
        ("bogus", "busybox:1", .ifNotPresent),
    ] as [(String?, String, ImagePullPolicy)])
    func pullPolicyDefaults(policy: String?, image: String, expected: ImagePullPolicy) {
        #expect(ImagePullPolicy.defaulted(policy, image: image) == expected)
    }

    @Test func pullErrorsSayHowToImport() throws {
        try ImageTests.withStore { store, _ in
            let never = #expect(throws: ImagePullError.self) { try store.ensureImage("busybox:1.36", policy: .never) }
            #expect(never?.reason == .errImageNeverPull)
            #expect(never?.message.hasPrefix("Container image \"busybox:1.36\" is not present with pull policy of Never") == true)
            #expect(never?.message.contains("kubeadm-swift images import") == true)

            let pull = #expect(throws: ImagePullError.self) { try store.ensureImage("busybox:1.36", policy: .ifNotPresent) }
            #expect(pull?.reason == .errImagePull)
            #expect(pull?.message.contains("kubeadm-swift images import") == true)
            let backOff = pull?.backingOff()
            #expect(backOff?.reason == .imagePullBackOff)
            #expect(backOff?.message.hasPrefix("Back-off pulling image \"busybox:1.36\"") == true)
            #expect(backOff?.message.contains("kubeadm-swift images import") == true)

            let always = #expect(throws: ImagePullError.self) { try store.ensureImage("busybox", policy: .always) }
            #expect(always?.reason == .errImagePull)
            let invalid = #expect(throws: ImagePullError.self) { try store.ensureImage("Not/Valid", policy: .ifNotPresent) }
            #expect(invalid?.reason == .invalidImageName)
            #expect(never?.backingOff() == never)
        }
    }

    @Test(arguments: [(0, "0B"), (999, "999B"), (1000, "1kB"), (2_150_000, "2.15MB"), (123_456_789, "123.5MB"),
                      (4_000_000_000, "4GB")] as [(Int64, String)])
    func humanSizes(bytes: Int64, text: String) {
        #expect(ImagesCommands.humanSize(bytes) == text)
    }

    @Test func tableMatchesCrictlLayout() {
        let table = ImagesCommands.table(header: ["IMAGE", "TAG", "IMAGE ID", "SIZE"],
                                         rows: [["docker.io/library/busybox", "1.36", "0123456789abc", "2.15MB"]])
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0] == "IMAGE                       TAG                 IMAGE ID            SIZE")
        #expect(lines[1] == "docker.io/library/busybox   1.36                0123456789abc       2.15MB")
    }

    @Test func lddOutputParses() throws {
        let output = """
        \tlinux-vdso.so.1 (0x00007ffd)
        \tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x00007f01)
        \tlibswiftCore.so => /opt/swift/usr/lib/swift/linux/libswiftCore.so (0x00007f02)
        \t/lib64/ld-linux-x86-64.so.2 (0x00007f03)
        """
        #expect(try SharedLibraries.parse(lddOutput: output, executable: "x") == [
            "/lib/x86_64-linux-gnu/libssl.so.3", "/opt/swift/usr/lib/swift/linux/libswiftCore.so", "/lib64/ld-linux-x86-64.so.2",
        ])
        #expect(try SharedLibraries.parse(lddOutput: "\tnot a dynamic executable", executable: "x").isEmpty)
        #expect(throws: ImageStoreError.self) {
            try SharedLibraries.parse(lddOutput: "\tlibmissing.so.1 => not found", executable: "x")
        }
    }

    @Test func mountinfoEscapesDecode() {
        #expect(FileTree.unescapeMountPath("/a\\040b\\011c\\134d") == "/a b\tc\\d")
    }

    @Test func containerIDsAreValidated() {
        for bad in ["", ".hidden", "a/b", "../x", String(repeating: "a", count: 129), "a b"] {
            #expect(throws: ImageStoreError.self) { try ImageStore.validate(containerID: bad) }
        }
        #expect(throws: Never.self) { try ImageStore.validate(containerID: "pod_abc-1.2") }
    }
}
