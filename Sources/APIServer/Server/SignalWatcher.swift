import Dispatch
import Foundation

/// Turns SIGTERM/SIGINT into a callback (the kubelet stops static pods with SIGTERM), instead of the default
/// immediate exit that would skip the graceful drain and the store's clean close.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops watching and restores the default actions.
    func cancel() {
        for source in sources { source.cancel() }
    }
}
