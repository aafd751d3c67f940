import Testing
@testable import Preflight

@Suite("Port-<n>")
struct PortOpenCheckTests {
    @Test(arguments: [6443, 10250, 10257, 10259, 2379, 2380])
    func nameAndBusyPort(port: Int) {
        let check = PortOpenCheck(port: port)
        #expect(check.name == "Port-\(port)")
        #expect(check.run(on: FakeHost()).isEmpty)

        var host = FakeHost()
        host.busyPorts = [port]
        #expect(check.run(on: host) == [Finding(
            check: "Port-\(port)", severity: .error,
            message: "Port \(port) is in use; find the process holding it with \"ss -ltnp 'sport = :\(port)'\" and stop it"
        )])
    }
}
