import Testing
@testable import ControllerManager

struct ControllerManagerScaffoldTests {
    @Test func moduleLinks() { _ = ControllerManagerModule.self }
}
