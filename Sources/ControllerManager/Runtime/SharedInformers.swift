import KubeAPI
import KubeClient
import Synchronization

/// Upstream's `SharedInformerFactory`: one informer per resource however many controllers read it, created on
/// first request while the controllers are built and all run together once the manager leads. Informers read
/// with the manager's own identity, whose role may list and watch everything.
public final class SharedInformers: Sendable {
    let client: RESTClient
    private let informers = Mutex<[String: Informer]>([:])

    public init(client: RESTClient) { self.client = client }

    /// The informer of `group`/`plural` (version v1), made on first use.
    public func informer(_ group: String, _ plural: String) -> Informer {
        informers.withLock { informers in
            let key = group + "/" + plural
            if let existing = informers[key] { return existing }
            let made = Informer(client: client, resource: Self.info(group, plural))
            informers[key] = made
            return made
        }
    }

    /// Runs every informer made so far until cancelled.
    public func run() async {
        let all = informers.withLock { Array($0.values) }
        await withTaskGroup(of: Void.self) { group in
            for informer in all { group.addTask { await informer.run() } }
        }
    }

    /// The v1 resource of `group`/`plural`, or a namespaced stand-in for a resource the table does not know.
    static func info(_ group: String, _ plural: String) -> APIResourceInfo {
        ResourceTable.resource(group: group, version: "v1", plural: plural)
            ?? APIResourceInfo(group: group, version: "v1", kind: plural, plural: plural, namespaced: true, verbs: [])
    }
}

/// Expectations shared between a controller's informer handlers and its workers.
final class ExpectationsBox: Sendable {
    private let state = Mutex(ControllerExpectations())

    func withLock<Result>(_ body: (inout ControllerExpectations) -> Result) -> Result {
        state.withLock { body(&$0) }
    }

    /// Settles the expectations of the controllers `keys` after a pod event: an add counts as an observed create, a
    /// delete or a deletion timestamp as an observed delete.
    func observe(_ event: InformerEvent, for keys: [String]) {
        let podKey = event.key
        withLock { expectations in
            for key in keys {
                switch event {
                case .added: expectations.creationObserved(key)
                case .deleted: expectations.deletionObserved(key, podKey: podKey)
                case .updated(_, let new) where new.metadata.isBeingDeleted: expectations.deletionObserved(key, podKey: podKey)
                case .updated: break
                }
            }
        }
    }
}
