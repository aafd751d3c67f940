/// One step of a bootstrap workflow. Phases nest; a parent's children run right after it, in order.
///
/// A phase is plain data, so the CLI help, `--skip-phases` validation, single-phase runs (`init phase certs
/// apiserver`) and the execution order all come from one tree (kubeadm's workflow runner, house style rule 2).
public struct Phase<Data: Sendable>: Sendable {
    public var name: String
    public var summary: String
    public var children: [Phase<Data>]
    /// Adds the synthetic `all` child so `init phase certs all` runs every child.
    public var runAllSiblings: Bool
    /// Decides at run time whether the phase applies (e.g. etcd certificates only with a local etcd).
    public var runIf: Condition?
    public var run: (@Sendable (Data) async throws -> Void)?

    /// A run-time test wrapped in a struct so a trailing closure at a call site always means `run`.
    public struct Condition: Sendable {
        public var test: @Sendable (Data) throws -> Bool
        public init(_ test: @escaping @Sendable (Data) throws -> Bool) { self.test = test }
    }

    public init(_ name: String, _ summary: String, children: [Phase<Data>] = [], runAllSiblings: Bool = false,
                runIf: Condition? = nil, run: (@Sendable (Data) async throws -> Void)? = nil) {
        self.name = name
        self.summary = summary
        self.children = children
        self.runAllSiblings = runAllSiblings
        self.runIf = runIf
        self.run = run
    }
}

/// A phase failure wrapped with its path, printed as kubeadm does: `error execution phase certs/apiserver: ...`.
public struct PhaseError: Error, CustomStringConvertible {
    public var path: String
    public var underlying: any Error
    public var description: String { "error execution phase \(path): \(underlying)" }
}

/// A phase that exists in kubeadm's tree but is not built yet in this version of kubeadm-swift.
public struct NotBuiltError: Error, CustomStringConvertible {
    public var what: String
    public var arrivesWith: String
    public var description: String {
        "\(what) is not built yet in kubeadm-swift \(BuildInfo.toolVersion): it arrives with \(arrivesWith). Nothing was changed by this step; the phases before it completed."
    }
}

/// Bad `--skip-phases` or phase names: a usage problem, reported before anything runs.
public struct WorkflowUsageError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// An ordered phase tree with path names (`certs/apiserver`) and a generic runner.
public struct Workflow<Data: Sendable>: Sendable {
    public var name: String
    public var phases: [Phase<Data>]

    public init(name: String, phases: [Phase<Data>]) {
        self.name = name
        self.phases = phases
    }

    /// Every phase with its path, parents before their children.
    public var flattened: [(path: String, phase: Phase<Data>)] {
        func walk(_ phases: [Phase<Data>], prefix: String) -> [(String, Phase<Data>)] {
            phases.flatMap { phase -> [(String, Phase<Data>)] in
                let path = prefix.isEmpty ? phase.name : "\(prefix)/\(phase.name)"
                return [(path, phase)] + walk(phase.children, prefix: path)
            }
        }
        return walk(phases, prefix: "")
    }

    public var paths: [String] { flattened.map(\.path) }

    /// Resolves a single-phase selection such as ["certs", "apiserver"], ["certs", "all"] or ["preflight"] to a path.
    public func path(for words: [String]) throws -> String {
        var words = words
        if words.count > 1, words.last == "all" { words.removeLast() }
        let path = words.joined(separator: "/")
        guard paths.contains(path) else {
            throw WorkflowUsageError(message: "unknown phase \"\(words.joined(separator: " "))\" for '\(name)'; valid phases:\n\(help())")
        }
        return path
    }

    /// Checks `--skip-phases` names (a parent name skips its whole subtree).
    public func validateSkips(_ skips: [String]) throws {
        let unknown = skips.filter { !paths.contains($0) }
        guard unknown.isEmpty else {
            throw WorkflowUsageError(message: "--skip-phases: unknown phase(s) \(unknown.joined(separator: ", ")); valid phases:\n\(help())")
        }
    }

    /// Which paths run: within `only` (a subtree) if given, minus skipped subtrees.
    public func selectedPaths(only: String? = nil, skipping skips: [String] = []) throws -> [String] {
        try validateSkips(skips)
        func within(_ path: String, _ root: String) -> Bool { path == root || path.hasPrefix(root + "/") }
        return paths.filter { path in
            (only.map { within(path, $0) } ?? true) && !skips.contains { within(path, $0) }
        }
    }

    /// Runs the selected phases in order. A phase whose `runIf` says no is skipped with its children.
    public func run(_ data: Data, only: String? = nil, skipping skips: [String] = []) async throws {
        let selected = Set(try selectedPaths(only: only, skipping: skips))
        var declined: [String] = []
        for (path, phase) in flattened where selected.contains(path) {
            if declined.contains(where: { path.hasPrefix($0 + "/") }) { continue }
            do {
                if let runIf = phase.runIf, try !runIf.test(data) {
                    declined.append(path)
                    continue
                }
                try await phase.run?(data)
            } catch let error as PhaseError {
                throw error
            } catch {
                throw PhaseError(path: path, underlying: error)
            }
        }
    }

    /// The phase list for `--help`, indented like kubeadm's ("certs", "  /ca", ...).
    public func help() -> String {
        var lines: [String] = []
        func walk(_ phases: [Phase<Data>], depth: Int) {
            for phase in phases {
                let label = depth == 0 ? phase.name : String(repeating: "  ", count: depth) + "/" + phase.name
                lines.append("  " + label.padding(toLength: 30, withPad: " ", startingAt: 0) + phase.summary)
                if phase.runAllSiblings {
                    let all = String(repeating: "  ", count: depth + 1) + "/all"
                    lines.append("  " + all.padding(toLength: 30, withPad: " ", startingAt: 0) + "Run all \(phase.name) phases")
                }
                walk(phase.children, depth: depth + 1)
            }
        }
        walk(phases, depth: 0)
        return lines.joined(separator: "\n")
    }
}
