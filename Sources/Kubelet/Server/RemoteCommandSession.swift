import HTTPTransport
import KubeAPI

/// Runs one exec or attach over an accepted WebSocket (upstream kubelet `remotecommand.ServeExec` /
/// `ServeAttach`): starts the session, relays stdin, resize and close from the client, stdout and stderr to it, and
/// ends with the `Status` on the error channel. The transport closes the WebSocket when `run` returns.
struct RemoteCommandSession: Sendable {
    let version: RemoteCommandProtocol
    let options: RemoteCommandOptions

    func run(_ socket: WebSocketSession, start: @Sendable () async throws -> any ContainerStreamSession) async {
        let session: any ContainerStreamSession
        do {
            session = try await start()
        } catch {
            try? await send(socket, .error, RemoteCommandProtocol.failureStatus("\(error)").jsonBytes)
            return
        }
        // The client's messages are read for as long as the session runs (pings and the close handshake are only
        // answered while they are read); a client that goes away ends the session rather than leaving it behind.
        let input = Task { await relayInput(socket, to: session) }
        async let out: Void = relay(session.stdout, to: options.stdout ? .stdout : nil, socket)
        async let err: Void = relay(session.stderr, to: options.stderr ? .stderr : nil, socket)
        _ = await (out, err)
        let code = await session.exitCode()
        input.cancel()
        try? await send(socket, .error, RemoteCommandProtocol.exitStatus(code, command: options.command).jsonBytes)
    }

    private func relayInput(_ socket: WebSocketSession, to session: any ContainerStreamSession) async {
        var stdinOpen = options.stdin
        for await message in socket.messages {
            switch version.decode(message) {
            case .stdin(let bytes) where stdinOpen && !bytes.isEmpty:
                do { try await session.write(bytes) } catch { stdinOpen = false }
            case .close(.stdin) where stdinOpen:
                stdinOpen = false
                session.closeStdin()
            case .resize(let columns, let rows) where options.tty:
                session.resize(TerminalSize(columns: columns, rows: rows))
            default:
                break
            }
        }
        if !Task.isCancelled { session.kill() }
    }

    /// Copies one output stream to its channel; a stream nobody asked for is drained so the process never blocks on it.
    private func relay(_ stream: AsyncStream<[UInt8]>, to channel: RemoteCommandProtocol.Channel?, _ socket: WebSocketSession) async {
        var connected = channel != nil
        for await chunk in stream {
            guard connected, let channel else { continue }
            do { try await send(socket, channel, chunk) } catch { connected = false }
        }
    }

    private func send(_ socket: WebSocketSession, _ channel: RemoteCommandProtocol.Channel, _ payload: [UInt8]) async throws {
        try await socket.send(RemoteCommandProtocol.frame(channel, payload))
    }
}
