import KubeAPI
import KubeClient

/// The ttl-after-finished controller's decision for one Job (upstream `processTTL`): a finished Job with
/// `ttlSecondsAfterFinished` is deleted that many seconds after the condition that finished it, in the foreground
/// (its pods go first) and only if it is still the same Job (uid precondition).
public enum TTLAfterFinished {
    /// What to do about a Job.
    public enum Decision: Sendable, Hashable {
        /// Not finished, no TTL, or already being deleted.
        case ignore
        /// Look again after this long.
        case wait(Duration)
        /// The TTL has run out.
        case delete(ControllerAction)
        /// Finished, but the finishing condition has no time to count from.
        case invalid(String)
    }

    /// Decides for one Job.
    /// - Parameters:
    ///   - job: the Job.
    ///   - now: the current time.
    public static func decide(_ job: JSONValue, now: KubeTime) -> Decision {
        let view = JobView(job)
        guard !job.metadata.isBeingDeleted, let ttl = view.ttlSecondsAfterFinished, view.isFinished else { return .ignore }
        guard let finished = view.finishTime else {
            return .invalid("unable to find the time when the Job \(job.metadata.namespace ?? "")/\(job.metadata.name ?? "") finished")
        }
        let expires = finished.adding(seconds: ttl)
        guard expires <= now else {
            return .wait(.seconds(expires.seconds - now.seconds) - .nanoseconds(Int64(now.nanoseconds)) + .nanoseconds(Int64(expires.nanoseconds)))
        }
        return .delete(.delete(ObjectRef(job, kind: .job), propagationPolicy: "Foreground"))
    }
}

/// The `ttl-after-finished` loop, written as `ttl-after-finished-controller`. Before deleting it re-reads the Job from
/// the server: the cached TTL may be stale (a client may have just extended it).
enum TTLAfterFinishedController {
    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let jobs = context.informers.informer("batch", "jobs")
        let client = try await context.clientFor("ttl-after-finished-controller")
        let executor = ActionExecutor(client: client)
        let resource = SharedInformers.info("batch", "jobs")
        let loop = ControllerLoop(name: "ttl-after-finished", sources: [(jobs, ControllerLoop.ownKey)]) { key in
            guard var job = jobs.cache.get(key) else { return nil }
            for fresh in [false, true] {
                switch TTLAfterFinished.decide(job, now: KubeTime.now()) {
                case .ignore: return nil
                case .wait(let delay): return delay
                case .invalid(let message): throw ControllerManagerError(message)
                case .delete(let action) where fresh:
                    try await executor.execute(action)
                case .delete:
                    do {
                        job = try await client.get(resource, namespace: job.metadata.namespace, name: job.metadata.name ?? "")
                    } catch let error as KubeClientError where error.isNotFound {
                        return nil
                    }
                }
            }
            return nil
        }
        return [loop]
    }
}
