import Synchronization

/// A value built on first use and then shared. The discovery and OpenAPI documents are built this way so a server
/// nobody has asked for them yet does not carry them (they are most of an idle server's own memory).
final class LazyValue<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)
    private let make: @Sendable () -> Value

    init(_ make: @escaping @Sendable () -> Value) { self.make = make }

    var value: Value {
        storage.withLock { stored in
            if let stored { return stored }
            let built = make()
            stored = built
            return built
        }
    }
}
