import Testing
@testable import Kubelet

/// Kubernetes' entrypoint/cmd merge, `$(VAR)` expansion and environment merge.
struct RuntimeCommandTests {
    struct MergeCase: Sendable, CustomStringConvertible {
        var description: String
        var command: [String]?
        var args: [String]?
        var entrypoint: [String]
        var cmd: [String]
        var expected: [String]
    }

    static let mergeCases: [MergeCase] = [
        .init(description: "image only", command: nil, args: nil, entrypoint: ["/ep"], cmd: ["c1", "c2"],
              expected: ["/ep", "c1", "c2"]),
        .init(description: "args replace Cmd", command: nil, args: ["a"], entrypoint: ["/ep"], cmd: ["c1"],
              expected: ["/ep", "a"]),
        .init(description: "command drops Cmd", command: ["/bin/x"], args: nil, entrypoint: ["/ep"], cmd: ["c1"],
              expected: ["/bin/x"]),
        .init(description: "command and args", command: ["/bin/x"], args: ["-v"], entrypoint: ["/ep"], cmd: ["c1"],
              expected: ["/bin/x", "-v"]),
        .init(description: "empty command is unset", command: [], args: ["a"], entrypoint: ["/ep"], cmd: [],
              expected: ["/ep", "a"]),
        .init(description: "no entrypoint", command: nil, args: nil, entrypoint: [], cmd: ["sh"], expected: ["sh"]),
        .init(description: "blank entrypoint", command: nil, args: nil, entrypoint: [""], cmd: ["sh"], expected: ["sh"]),
    ]

    @Test(arguments: mergeCases)
    func entrypointAndCmdMerge(_ c: MergeCase) throws {
        let argv = try ContainerCommand.resolve(
            command: c.command, args: c.args, imageEntrypoint: c.entrypoint, imageCmd: c.cmd)
        #expect(argv == c.expected)
    }

    @Test func nothingToRunIsAnError() {
        #expect(throws: RuntimeError.self) {
            try ContainerCommand.resolve(command: nil, args: nil, imageEntrypoint: [], imageCmd: [])
        }
    }

    @Test func commandAndArgsExpandPodVariables() throws {
        let argv = try ContainerCommand.resolve(
            command: ["echo", "$(GREETING)"], args: ["$(NAME)", "$$(NAME)", "$(MISSING)"],
            imageEntrypoint: ["/ep"], imageCmd: [], environment: ["GREETING=hi", "NAME=world"])
        #expect(argv == ["echo", "hi", "world", "$(NAME)", "$(MISSING)"])
    }

    @Test(arguments: [
        ("$(A)", "1"), ("x$(A)y", "x1y"), ("$$", "$"), ("$$(A)", "$(A)"), ("$(", "$("), ("$(A", "$(A"),
        ("$A", "$A"), ("$", "$"), ("$(UNSET)", "$(UNSET)"), ("$()", "$()"), ("a$(A)$(B)b", "a12b"), ("ü$(A)", "ü1"),
    ])
    func variableExpansion(input: String, expected: String) {
        let values = ["A": "1", "B": "2"]
        #expect(VariableExpansion.expand(input) { values[$0] } == expected)
    }

    @Test func environmentMergeOverridesImageAndKeepsOrder() {
        let env = ContainerCommand.mergeEnvironment(
            image: ["PATH=/img/bin", "LANG=C", "HOME=/root"],
            container: [("LANG", "en_US"), ("GREETING", "hello $(LANG) $(HOME)"), ("NEW", "x")])
        // $(HOME) is the image's variable, which upstream expansion does not see.
        #expect(env == ["PATH=/img/bin", "LANG=en_US", "HOME=/root", "GREETING=hello en_US $(HOME)", "NEW=x"])
    }

    @Test func environmentGetsDefaultPath() {
        let env = ContainerCommand.mergeEnvironment(image: ["A=1"], container: [])
        #expect(env == ["PATH=\(ContainerCommand.defaultPath)", "A=1"])
    }
}
