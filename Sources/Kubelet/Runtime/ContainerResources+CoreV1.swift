import KubeAPI

extension ContainerResources {
    /// A container's requests and limits from its pod spec (`resources.requests`/`limits`), with CPU in millicores
    /// (`MilliValue()`, rounded up) and memory in bytes (`Value()`, rounded up), as the kubelet reads them.
    /// - Throws: `RuntimeError.invalidSpec` for a quantity that does not parse or does not fit.
    public init(_ requirements: CoreV1.ResourceRequirements?) throws {
        func quantity(_ table: [String: String]?, _ name: String, milli: Bool) throws -> Int64? {
            guard let text = table?[name] else { return nil }
            let parsed: Quantity
            do { parsed = try Quantity(parsing: text) } catch {
                throw RuntimeError(.invalidSpec, "resources \(name): \(error)")
            }
            guard let value = milli ? parsed.milliValue : parsed.value else {
                throw RuntimeError(.invalidSpec, "resources \(name): \(text) is out of range")
            }
            return value
        }
        self.init(
            cpuRequestMilli: try quantity(requirements?.requests, "cpu", milli: true),
            cpuLimitMilli: try quantity(requirements?.limits, "cpu", milli: true),
            memoryRequestBytes: try quantity(requirements?.requests, "memory", milli: false),
            memoryLimitBytes: try quantity(requirements?.limits, "memory", milli: false))
    }
}
