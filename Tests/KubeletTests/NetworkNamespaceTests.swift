import Foundation
import Testing
@testable import Kubelet

/// The parts of the namespace store that need no namespace: names, paths, listing and telling a mounted
/// namespace from a plain file. Creating and deleting real namespaces is covered on the private node
/// (NetworkNodeTests), where the mounts cannot leak onto the machine.
struct NetworkNamespaceTests {
    @Test(arguments: ["", ".", "..", "../etc", "a/b", "-leading-dash", "has space"])
    func rejectsNamesThatAreNotPlainPathComponents(name: String) async {
        let store = NetworkNamespaceStore(directory: "/nonexistent/netns")
        let created = await #expect(throws: NetworkNamespaceError.self) { try await store.create(named: name) }
        #expect(created?.description.contains("is not a valid namespace name") == true)
        #expect(throws: NetworkNamespaceError.self) { try store.delete(named: name) }
    }

    @Test func listsFilesAndTellsMountedNamespacesFromPlainFiles() async throws {
        try await NetworkTestSupport.withTemporaryDirectory { dir in
            let store = NetworkNamespaceStore(directory: dir + "/netns")
            #expect(try store.list().isEmpty)
            try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
            for name in ["b-pod", "a-pod", ".hidden"] {
                #expect(FileManager.default.createFile(atPath: store.path(of: name), contents: nil))
            }
            #expect(try store.list().map(\.name) == ["a-pod", "b-pod"])
            #expect(store.namespace(named: "a-pod") == NetworkNamespace(name: "a-pod", path: dir + "/netns/a-pod"))
            #expect(store.namespace(named: "absent") == nil)
            // A leftover file is not a namespace; our own namespace's nsfs file is.
            #expect(store.namespace(named: "a-pod")?.isMounted == false)
            #expect(NetworkNamespace.isNamespaceMount("/proc/self/ns/net"))
            #expect(!NetworkNamespace.isNamespaceMount(dir + "/absent"))
            // Deleting a plain leftover file (nothing mounted) works, and deleting twice is fine.
            try store.delete(named: "a-pod")
            try store.delete(named: "a-pod")
            #expect(try store.list().map(\.name) == ["b-pod"])
        }
    }
}
