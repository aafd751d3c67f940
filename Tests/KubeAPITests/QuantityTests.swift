import Testing
@testable import KubeAPI

/// Cases from upstream `resource/quantity_test.go` (TestQuantityParse, TestQuantityString, TestQuantityParseEmit)
/// and the `Quantity` doc comment.
@Suite struct QuantityTests {
    @Test(arguments: [
        // Doc comment examples.
        ("1.5", "1500m"), ("1.5Gi", "1536Mi"), ("1000m", "1"), ("0.1", "100m"), ("100m", "100m"),
        // Canonical forms (TestQuantityString alternates).
        ("1024Mi", "1Gi"), ("307200Ki", "300Mi"), ("6Ki", "6Ki"), ("1025024Mi", "1001Gi"), ("1024Gi", "1Ti"),
        ("5000m", "5"), ("0.5", "500m"), ("1000M", "1G"), ("0.001T", "1G"), ("1000u", "1m"), ("1.08", "1080m"),
        ("1080000000n", "1080m"), ("300M", "300M"), ("1T", "1T"), ("1234567M", "1234567M"), ("3k", "3k"),
        ("1025", "1025"), ("0", "0"), ("00", "0"), (".001e12", "1e9"), ("0.001e0", "1e-3"), ("1000e-12", "1e-9"),
        ("80e-3", "80e-3"), ("300e6", "300e6"), ("1e3", "1e3"), ("3e3", "3e3"), ("129e6", "129e6"),
        ("1n", "1n"), ("80n", "80n"), ("1080n", "1080n"), ("1u", "1u"), ("1080u", "1080u"),
        // Parse-and-emit.
        ("1Ki", "1Ki"), ("1Mi", "1Mi"), ("1Gi", "1Gi"), (".001Ki", "1024m"), (".000001Ki", "1024u"),
        (".000000001Ki", "1024n"), (".000000000001Ki", "2n"),
        // Rounding up to nano units, fractions, exotic but valid spellings.
        ("3.001n", "4n"), ("0.0000000001", "1n"), ("0.00000012345", "124n"), ("1.1E-9", "2e-9"), ("0.5e-9", "1e-9"),
        ("100.035k", "100035"), ("10.035M", "10035k"), ("1.2e3", "1200"), ("1.3E+6", "1300e3"), ("+5", "5"),
        ("1.", "1"), ("1.G", "1G"), (".0001k", "100m"), ("0.5Mi", "512Ki"), ("100.035Ki", "102435840m"),
        ("12E", "12E"), ("9Ei", "9223372036854775807"), ("1.5Ki", "1536"), ("512", "512"), ("-1.5Gi", "-1536Mi"),
        ("-100m", "-100m"), ("-0", "0"), ("1Ei", "1Ei"), ("2048Ki", "2Mi"),
    ])
    func canonicalForm(input: String, expected: String) throws {
        #expect(try Quantity(parsing: input).canonicalString == expected)
    }

    @Test(arguments: ["", "1.1.1", "1.5Gx", "Gi", "-", "1 Gi", "1e", "1Ki1", "1i", "abc", "1.5e1.5", "--1", "1K"])
    func rejectsMalformed(input: String) {
        #expect(throws: QuantityParseError.self) { try Quantity(parsing: input) }
    }

    @Test func formatsAreRemembered() throws {
        #expect(try Quantity(parsing: "1Gi").format == .binarySI)
        #expect(try Quantity(parsing: "1G").format == .decimalSI)
        #expect(try Quantity(parsing: "1e9").format == .decimalExponent)
        #expect(try Quantity(parsing: "0.5Ki").format == .binarySI)  // 512 ≥ 1: stays binary, prints decimal
        #expect(try Quantity(parsing: "0.000000000001Ki").format == .decimalSI)
    }

    @Test func exactArithmeticAndComparison() throws {
        let a = try Quantity(parsing: "100m")
        let b = try Quantity(parsing: "0.2")
        #expect((a + b).canonicalString == "300m")
        #expect((a - b).canonicalString == "-100m")
        #expect((try Quantity(parsing: "1Gi") + Quantity(parsing: "512Mi")).canonicalString == "1536Mi")
        #expect(try (Quantity.zero + Quantity(parsing: "1Ki")).format == .binarySI)
        #expect(try Quantity(parsing: "1Ki") == Quantity(parsing: "1024"))
        #expect(try Quantity(parsing: "1k") < Quantity(parsing: "1Ki"))
        #expect(try Quantity(parsing: "-1") < Quantity(parsing: "1m"))
        #expect(try Quantity(parsing: "50m").compare(Quantity(parsing: "100m")) == -1)
        let big = try Quantity(parsing: "9E") + Quantity(parsing: "9E")
        #expect(big.canonicalString == "18E")
        #expect(big.value == nil)
        var sum = Quantity.zero
        for _ in 0..<10 { sum += try Quantity(parsing: "0.1") }
        #expect(sum == Quantity(1))
    }

    @Test func integerViewsRoundUp() throws {
        #expect(try Quantity(parsing: "1.5").value == 2)
        #expect(try Quantity(parsing: "100m").milliValue == 100)
        #expect(try Quantity(parsing: "1.5Gi").value == 1_610_612_736)
        #expect(try Quantity(parsing: "1n").milliValue == 1)
        #expect(try Quantity(parsing: "-2").value == -2)
    }

    @Test func jsonAndCodable() throws {
        #expect(try Quantity(json: .integer(3)).canonicalString == "3")
        #expect(try Quantity(json: .float(0.5)).canonicalString == "500m")
        #expect(try Quantity(json: "2Gi").json == "2Gi")
        #expect(throws: QuantityParseError.self) { try Quantity(json: .bool(true)) }
    }
}
