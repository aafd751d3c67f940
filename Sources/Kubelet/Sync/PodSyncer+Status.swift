import Foundation
import KubeAPI

/// The pod status from what the runtime reports and what the sync remembers.
extension PodSyncer {
    func statusOf(_ pod: JSONValue, spec: JSONValue, records: [ContainerRecord], state: inout PodState, sandboxReady: Bool) -> JSONValue {
        func observe(_ container: JSONValue, isInit: Bool) -> ContainerObservation {
            let name = container["name"]?.string ?? ""
            let image = container["image"]?.string ?? ""
            let runs = records.filter { $0.containerName == name }.sorted { $0.attempt < $1.attempt }
            guard let latest = runs.last else {
                let waiting = state.waiting[name] ?? (isInit ? "PodInitializing" : "ContainerCreating", nil)
                return ContainerObservation(name: name, state: .waiting(reason: waiting.reason, message: waiting.message), image: image)
            }
            var observation = ContainerObservation(name: name, state: Self.observed(latest.state), restartCount: latest.attempt,
                                                   image: image, imageID: latest.imageID, containerID: "runc://" + latest.id)
            if runs.count > 1 { observation.lastTermination = Self.observed(runs[runs.count - 2].state) }
            switch latest.state {
            case .running:
                let probes = probeState(container, containerID: latest.id, state: state)
                observation.ready = probes.ready && !isInit
                observation.started = probes.started
            case .exited:
                if let waiting = state.waiting[name] {
                    // Between runs: report the wait, and the run that ended as the last state.
                    observation.lastTermination = Self.observed(latest.state)
                    observation.state = .waiting(reason: waiting.reason, message: waiting.message)
                }
            case .unknown:
                break
            }
            return observation
        }
        let builder = PodStatusBuilder(
            pod: pod, initContainers: (spec["initContainers"]?.array ?? []).map { observe($0, isInit: true) },
            containers: (spec["containers"]?.array ?? []).map { observe($0, isInit: false) },
            podIPs: state.ips, hostIP: env.hostIP, startTime: state.startTime, sandboxReady: sandboxReady)
        return builder.status(previous: state.lastStatus ?? pod["status"], now: KubeTime(env.now()))
    }

    static func observed(_ state: ContainerRecord.State) -> ContainerObservation.State {
        switch state {
        case .running(let startedAt):
            return .running(startedAt: startedAt)
        case .exited(let code, let reason, let startedAt, let finishedAt):
            return .terminated(exitCode: code, reason: reason, message: nil, startedAt: startedAt, finishedAt: finishedAt)
        case .unknown:
            return .waiting(reason: "ContainerCreating", message: nil)
        }
    }
}
