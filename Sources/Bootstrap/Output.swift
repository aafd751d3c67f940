import Foundation

/// Where phase output goes. kubeadm prints `[phase] ...` lines to stdout; tests capture them instead.
public struct Output: Sendable {
    public var line: @Sendable (String) -> Void
    public init(line: @escaping @Sendable (String) -> Void) { self.line = line }

    /// Unbuffered stdout, so lines interleave correctly with stderr and child processes.
    public static let standard = Output { text in
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
