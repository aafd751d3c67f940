import KubeAPI

/// autoscaling/v1 HorizontalPodAutoscalers (what `kubectl autoscale` creates) are the stored autoscaling/v2 objects
/// seen through v1's single CPU target, as upstream's conversion does:
/// `spec.targetCPUUtilizationPercentage` is the v2 `Resource` metric `cpu` with an `Utilization` target, and
/// `status.currentCPUUtilizationPercentage` its current utilization.
///
/// Partial: upstream also keeps the v2-only parts (other metrics, conditions, behavior) in `autoscaling.alpha.*`
/// annotations of the v1 view; here a v1 view leaves them out, and a v1 write (update or patch of the spec)
/// replaces the metrics with what v1 can say. JSON patches against the v1 view are refused (use autoscaling/v2).
enum AutoscalingV1Translation: VersionTranslation {
    static let viewAPIVersion = "autoscaling/v1"

    static func applies(to request: APIRequest) -> Bool {
        request.group == "autoscaling" && request.version == "v1" && request.resource == "horizontalpodautoscalers"
    }

    static func storedRequest(_ request: APIRequest) throws -> APIRequest {
        var stored = request
        stored.version = "v2"
        guard !request.body.isEmpty else { return stored }
        let body: JSONValue
        do {
            body = try JSONValue(parsing: request.body)
        } catch {
            throw StatusError.badRequest("the body of the request could not be decoded as JSON: \(error)")
        }
        if request.verb == .patch, (try? PatchType(contentType: request.contentType)) == .json {
            throw StatusError(code: 415, reason: "UnsupportedMediaType",
                              message: "JSON patches of autoscaling/v1 HorizontalPodAutoscalers are not supported: "
                                  + "patch the autoscaling/v2 object, or send a merge or strategic merge patch")
        }
        stored.body = toStored(body).jsonBytes
        return stored
    }

    /// A v1 object, or a v1 patch, in v2 terms: only the fields present are converted.
    static func toStored(_ object: JSONValue) -> JSONValue {
        guard var members = object.object else { return object }
        if members["apiVersion"]?.string == viewAPIVersion { members["apiVersion"] = "autoscaling/v2" }
        if var spec = members["spec"]?.object, let target = spec.removeValue(forKey: "targetCPUUtilizationPercentage") {
            spec["metrics"] = target.isNull ? .null : .array([cpuMetric(target)])
            members["spec"] = .object(spec)
        }
        if var status = members["status"]?.object, let current = status.removeValue(forKey: "currentCPUUtilizationPercentage") {
            status["currentMetrics"] = current.isNull ? .null
                : .array([["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": current]]]])
            members["status"] = .object(status)
        }
        return .object(members)
    }

    static func cpuMetric(_ utilization: JSONValue) -> JSONValue {
        ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": utilization]]]
    }

    /// A stored v2 object as v1 shows it.
    static func toView(_ object: JSONValue) -> JSONValue {
        guard var members = object.object else { return object }
        members["apiVersion"] = .string(viewAPIVersion)
        if var spec = members["spec"]?.object {
            let metrics = spec.removeValue(forKey: "metrics")?.array ?? []
            spec["behavior"] = nil
            if let cpu = metrics.first(where: isCPU), let target = cpu[path: ["resource", "target", "averageUtilization"]] {
                spec["targetCPUUtilizationPercentage"] = target
            }
            members["spec"] = .object(spec)
        }
        if var status = members["status"]?.object {
            let current = status.removeValue(forKey: "currentMetrics")?.array ?? []
            status["conditions"] = nil
            if let cpu = current.first(where: isCPU), let value = cpu[path: ["resource", "current", "averageUtilization"]] {
                status["currentCPUUtilizationPercentage"] = value
            }
            members["status"] = .object(status)
        }
        return .object(members)
    }

    private static func isCPU(_ metric: JSONValue) -> Bool {
        metric["type"]?.string == "Resource" && metric[path: ["resource", "name"]]?.string == "cpu"
    }
}
