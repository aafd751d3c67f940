import KubeAPI

/// The channel protocols of exec and attach over WebSocket (apimachinery `util/remotecommand`, kubelet
/// `cri/streaming/remotecommand/websocket.go`): every binary message starts with a channel byte, the rest is payload.
public enum RemoteCommandProtocol: String, Sendable, CaseIterable {
    /// v4 plus the close signal: `[255, channel]` half-closes a stream (kubectl sends `[255, 0]` at stdin EOF).
    case v5 = "v5.channel.k8s.io"
    /// Status as JSON on the error channel, terminal resize as JSON on channel 4.
    case v4 = "v4.channel.k8s.io"

    /// The channel bytes.
    public enum Channel: UInt8, Sendable {
        case stdin = 0
        case stdout = 1
        case stderr = 2
        /// One JSON `Status` at the end: Success, or Failure (with the exit code for a non-zero exit).
        case error = 3
        /// `{"Width":80,"Height":24}` from the client.
        case resize = 4
        /// v5 only: the payload's first byte names the channel the client closed.
        case close = 255
    }

    /// The first protocol of the client's list that this server speaks, as upstream's WebSocket handshake picks.
    public static func negotiate(_ offered: [String]) -> RemoteCommandProtocol? {
        offered.lazy.compactMap(RemoteCommandProtocol.init(rawValue:)).first
    }

    /// Whether the client can half-close its streams.
    public var supportsClose: Bool { self == .v5 }

    /// One message: the channel byte, then the payload.
    public static func frame(_ channel: Channel, _ payload: [UInt8]) -> [UInt8] {
        var message = [channel.rawValue]
        message.reserveCapacity(payload.count + 1)
        message += payload
        return message
    }

    /// What a client message asks for.
    public enum ClientMessage: Equatable, Sendable {
        case stdin([UInt8])
        case resize(columns: UInt16, rows: UInt16)
        /// The client will send no more on this channel.
        case close(Channel)
        /// Empty, malformed, or for a channel a client does not write.
        case ignored
    }

    /// Decodes a message from the client.
    public func decode(_ message: [UInt8]) -> ClientMessage {
        guard let first = message.first, let channel = Channel(rawValue: first) else { return .ignored }
        let payload = Array(message.dropFirst())
        switch channel {
        case .stdin:
            return .stdin(payload)
        case .resize:
            guard let size = try? JSONValue(parsing: payload), let width = size["Width"]?.int, let height = size["Height"]?.int,
                  let columns = UInt16(exactly: width), let rows = UInt16(exactly: height) else { return .ignored }
            return .resize(columns: columns, rows: rows)
        case .close where supportsClose:
            return payload.first.flatMap(Channel.init(rawValue:)).map(ClientMessage.close) ?? .ignored
        default:
            return .ignored
        }
    }

    /// The error-channel `Status` of a finished command: Success for exit code 0, else upstream's Failure with
    /// reason `NonZeroExitCode` and the code as an `ExitCode` cause (kubectl exits with it).
    public static func exitStatus(_ code: Int32, command: [String]) -> JSONValue {
        guard code != 0 else { return ["metadata": .emptyObject, "status": "Success"] }
        return [
            "metadata": .emptyObject, "status": "Failure",
            "message": .string("command terminated with non-zero exit code: error executing command [\(command.joined(separator: " "))], exit code \(code)"),
            "reason": "NonZeroExitCode",
            "details": ["causes": [["reason": "ExitCode", "message": .string(String(code))]]],
        ]
    }

    /// The error-channel `Status` of a session that could not run (kubectl prints the message).
    public static func failureStatus(_ message: String) -> JSONValue {
        ["metadata": .emptyObject, "status": "Failure", "message": .string(message), "reason": "InternalError", "code": 500]
    }
}

/// The kubelet's exec/attach query (upstream `remotecommand.NewOptions`): `command` repeated, and the streams as
/// `input`, `output`, `error`, `tty` set to `1`, as the API server writes them.
public struct RemoteCommandOptions: Sendable, Equatable {
    public var command: [String]
    public var stdin: Bool
    public var stdout: Bool
    public var stderr: Bool
    public var tty: Bool

    public init(command: [String], stdin: Bool, stdout: Bool, stderr: Bool, tty: Bool) {
        self.command = command; self.stdin = stdin; self.stdout = stdout; self.stderr = stderr; self.tty = tty
    }

    /// Parses the query.
    /// - Throws: `RemoteCommandError` when no stream is asked for.
    public init(query: [(name: String, value: String)]) throws {
        let flag = { (name: String) in ["1", "true"].contains(query.last { $0.name == name }?.value ?? "") }
        command = query.filter { $0.name == "command" }.map(\.value)
        stdin = flag("input")
        stdout = flag("output")
        tty = flag("tty")
        // A terminal has one output stream; upstream drops stderr rather than failing.
        stderr = flag("error") && !tty
        guard stdin || stdout || stderr else { throw RemoteCommandError("you must specify at least 1 of stdin, stdout, stderr") }
    }
}

/// Why an exec or attach cannot start; `status` is the HTTP status answered before the upgrade.
public struct RemoteCommandError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public var status: Int

    public init(_ description: String, status: Int = 400) {
        self.description = description
        self.status = status
    }
}
