import KubeAPI
import Testing
@testable import APIServer

@Suite("Table human durations")
struct TableHumanDurationTests {
    /// Boundaries of every band of upstream's `duration.HumanDuration`.
    @Test(arguments: [
        (-3.0, "<invalid>"), (-2.0, "<invalid>"), (-1.5, "0s"), (-0.5, "0s"), (0, "0s"), (10, "10s"), (119.9, "119s"),
        (120, "2m"), (125, "2m5s"), (599, "9m59s"), (600, "10m"), (659, "10m"), (10_799, "179m"),
        (10_800, "3h"), (11_100, "3h5m"), (28_740, "7h59m"), (28_800, "8h"), (172_799, "47h"),
        (172_800, "2d"), (190_800, "2d5h"), (691_199, "7d23h"), (691_200, "8d"), (3_888_000, "45d"),
        (63_071_999, "729d"), (63_072_000, "2y"), (63_158_400, "2y1d"), (252_201_600, "7y364d"),
        (252_288_000, "8y"), (315_360_000, "10y"),
    ] as [(Double, String)])
    func bands(seconds: Double, expected: String) {
        #expect(HumanDuration.format(nanoseconds: Int64(seconds * 1e9)) == expected)
    }

    @Test func betweenInstantsUsesSubsecondPrecision() {
        let start = KubeTime(seconds: 1000, nanoseconds: 900_000_000)
        #expect(HumanDuration.between(start, KubeTime(seconds: 1120, nanoseconds: 800_000_000)) == "119s")
        #expect(HumanDuration.between(start, KubeTime(seconds: 1120, nanoseconds: 900_000_000)) == "2m")
        #expect(HumanDuration.between(KubeTime(seconds: 0), KubeTime(seconds: .max / 2)) == "\(Int64.max / 3_600_000_000_000 / 24 / 365)y")
    }

    @Test func ageCellsOfTimestamps() {
        let now = TableFixture.now
        #expect(TableCells.since(TableFixture.ago(300), now) == "5m")
        #expect(TableCells.since(TableFixture.ago(3 * 86_400), now) == "3d")
        #expect(TableCells.since(nil, now) == "<unknown>")
        #expect(TableCells.since("not a time", now) == "<unknown>")
        #expect(TableCells.since("0001-01-01T00:00:00Z", now) == "<unknown>")
        #expect(TableCells.since("2026-01-10T11:59:50+00:00", now) == "10s")
    }
}
