import Testing
import Preflight

@Suite("IgnoreSet")
struct IgnoreSetTests {
    @Test func matchesCaseInsensitively() throws {
        let set = try IgnoreSet(["port-6443", "SWAP"])
        #expect(set.ignores("Port-6443"))
        #expect(set.ignores("Swap"))
        #expect(!set.ignores("Port-10250"))
        #expect(set.names == ["port-6443", "swap"])
    }

    @Test func splitsCommaListsAndTrims() throws {
        let set = try IgnoreSet(["Port-6443, NumCPU", "Mem", ",,"])
        #expect(set.names == ["port-6443", "numcpu", "mem"])
    }

    @Test(arguments: [["all"], ["ALL"], ["all", "all"]])
    func allIgnoresEverything(names: [String]) throws {
        let set = try IgnoreSet(names)
        #expect(set.ignoresAll)
        #expect(set.ignores("IsPrivilegedUser"))
        #expect(set.ignores("anything"))
    }

    @Test(arguments: [["all", "Swap"], ["Swap,all"], ["ALL", "NumCPU"]])
    func allWithIndividualNamesIsRejected(names: [String]) {
        #expect(throws: IgnoreSetError.allWithOthers) { try IgnoreSet(names) }
        #expect(IgnoreSetError.allWithOthers.description == "don't specify individual checks if 'all' is used")
    }

    @Test func noneIgnoresNothing() throws {
        #expect(!IgnoreSet.none.ignores("Swap"))
        #expect(try IgnoreSet([]) == IgnoreSet.none)
    }
}
