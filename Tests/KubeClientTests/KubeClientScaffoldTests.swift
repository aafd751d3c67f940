import Testing
@testable import KubeClient

struct KubeClientScaffoldTests {
    @Test func moduleLinks() { _ = KubeClientModule.self }
}
