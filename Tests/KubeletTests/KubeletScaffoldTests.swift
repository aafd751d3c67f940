import Testing
@testable import Kubelet

struct KubeletScaffoldTests {
    @Test func moduleLinks() { _ = KubeletModule.self }
}
