import Testing
@testable import KubeAPI

@Suite struct JSONParserTests {
    @Test func parsesScalarsAndKeepsIntegersExact() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":-0,"c":1.5,"d":1e3,"e":9223372036854775807,"f":-9223372036854775808,"g":18446744073709551616,"h":true,"i":null,"j":"x"}"#)
        #expect(value["a"] == .integer(1))
        #expect(value["b"] == .integer(0))
        #expect(value["c"] == .float(1.5))
        #expect(value["d"] == .float(1000))
        #expect(value["e"] == .integer(.max))
        #expect(value["f"] == .integer(.min))
        #expect(value["g"] == .bigInteger("18446744073709551616"))
        #expect(value["h"] == .bool(true))
        #expect(value["i"] == .null)
        #expect(value["j"]?.string == "x")
        #expect(value.jsonString == #"{"a":1,"b":0,"c":1.5,"d":1000,"e":9223372036854775807,"f":-9223372036854775808,"g":18446744073709551616,"h":true,"i":null,"j":"x"}"#)
    }

    @Test func keepsKeyOrderAndUnknownFields() throws {
        let text = #"{"zeta":1,"alpha":{"y":2,"x":3},"apiVersion":"v1","x-unknown":[1,{"b":1,"a":2}]}"#
        let value = try JSONValue(parsing: text)
        #expect(value.object?.keys.elements == ["zeta", "alpha", "apiVersion", "x-unknown"])
        #expect(value.jsonString == text)
    }

    @Test func decodesEscapesAndUnicode() throws {
        let value = try JSONValue(parsing: #"["a\"b\\c\/d\b\f\n\r\t","\u00e9\u4e2d","\ud83d\ude00","héllo ✓","\ud800"]"#)
        #expect(value[0]?.string == "a\"b\\c/d\u{8}\u{c}\n\r\t")
        #expect(value[1]?.string == "é中")
        #expect(value[2]?.string == "😀")
        #expect(value[3]?.string == "héllo ✓")
        #expect(value[4]?.string == "\u{FFFD}")
    }

    @Test func serializerEscapesWhatJSONRequires() throws {
        let value: JSONValue = ["k": .string("q\"b\\n\n\u{1}\u{2028}é")]
        #expect(value.jsonString == #"{"k":"q\"b\\n\n\u0001\u2028é"}"#)
        let html: JSONValue = ["a<b>": "x&y<z>"]
        #expect(html.jsonString == #"{"a<b>":"x&y<z>"}"#)
        #expect(JSONSerializer.string(html, escapeHTML: true) == #"{"a\u003cb\u003e":"x\u0026y\u003cz\u003e"}"#)
        #expect(try JSONValue(parsing: JSONSerializer.string(html, escapeHTML: true)) == html)
    }

    @Test(arguments: [
        ("", JSONParseError.Code.unexpectedEndOfInput, 0),
        ("{", .unexpectedEndOfInput, 1),
        ("{\"a\" 1}", .unexpectedCharacter, 5),
        ("[1,]", .unexpectedCharacter, 3),
        ("[01]", .unexpectedCharacter, 2),
        ("[1.]", .invalidNumber, 3),
        ("[-]", .invalidNumber, 2),
        ("[1e]", .invalidNumber, 3),
        ("{\"a\":tru}", .unexpectedCharacter, 8),
        ("\"a\tb\"", .controlCharacterInString, 2),
        ("\"\\x\"", .invalidEscape, 1),
        ("\"\\u12G4\"", .invalidEscape, 5),
        ("{} x", .trailingData, 3),
        ("{'a':1}", .unexpectedCharacter, 1),
        ("[NaN]", .unexpectedCharacter, 1),
    ])
    func reportsErrorsWithOffsets(input: String, code: JSONParseError.Code, offset: Int) {
        #expect {
            _ = try JSONValue(parsing: input)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.code == code && error.offset == offset && error.description.contains("byte offset \(offset)")
        }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
    }

    @Test func duplicateKeysLastWinsOrReject() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        #expect(value.jsonString == #"{"a":3,"b":2}"#)
        #expect {
            _ = try JSONParser(duplicateKeys: .reject).parse(#"{"a":1,"a":2}"#)
        } throws: { ($0 as? JSONParseError)?.code == .duplicateKey }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect { _ = try JSONValue(parsing: deep) } throws: { ($0 as? JSONParseError)?.code == .nestingTooDeep }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue(parsing: ok)) != nil)
    }

    @Test(arguments: [
        (1.5, "1.5"), (100.0, "100"), (0.1, "0.1"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (1e-7, "1e-7"), (0.000001, "0.000001"), (-2.5e-10, "-2.5e-10"), (123456.789, "123456.789"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
    ])
    func formatsFloatsLikeGo(value: Double, expected: String) {
        #expect(JSONSerializer.formatFloat(value) == expected)
    }

    @Test func prettyForm() throws {
        let value = try JSONValue(parsing: #"{"a":[1,{"b":null}],"c":{},"d":[]}"#)
        #expect(value.prettyJSONString == """
        {
          "a": [
            1,
            {
              "b": null
            }
          ],
          "c": {},
          "d": []
        }
        """)
        #expect(try JSONValue(parsing: value.prettyJSONString).isIdentical(to: value))
    }
}

@Suite struct JSONValueTests {
    @Test func equalityIgnoresKeyOrderButIdentityDoesNot() throws {
        let a = try JSONValue(parsing: #"{"x":1,"y":[1,2]}"#)
        let b = try JSONValue(parsing: #"{"y":[1,2],"x":1}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(!a.isIdentical(to: b))
        #expect(try JSONValue(parsing: "[1,2]") != JSONValue(parsing: "[2,1]"))
        #expect(JSONValue.integer(1) != JSONValue.float(1))
    }

    @Test func subscriptsAndPaths() {
        var value: JSONValue = ["metadata": ["name": "web", "labels": ["app": "web"]], "spec": ["replicas": 3]]
        #expect(value["metadata"]?["name"]?.string == "web")
        #expect(value[path: ["spec", "replicas"]]?.int == 3)
        #expect(value.value(atDottedPath: "metadata.labels.app")?.string == "web")
        #expect(value["nope"]?["deeper"] == nil)
        value[path: ["spec", "template", "metadata", "labels", "tier"]] = "fe"
        value["metadata"]?["name"] = "web2"
        value[path: ["metadata", "labels"]] = nil
        #expect(value.jsonString == #"{"metadata":{"name":"web2"},"spec":{"replicas":3,"template":{"metadata":{"labels":{"tier":"fe"}}}}}"#)
    }

    @Test func codableBridge() throws {
        struct Wrapper: Codable { var raw: JSONValue }
        let value: JSONValue = ["b": 1, "a": [true, "x", 1.5, nil]]
        let encoded = try JSONEncoderShim.encode(Wrapper(raw: value))
        #expect(try JSONValue(parsing: encoded)["raw"] == value)
    }
}

import Foundation

/// Keeps the Foundation dependency in one place for the Codable bridge test.
enum JSONEncoderShim {
    static func encode(_ value: some Encodable) throws -> [UInt8] { Array(try JSONEncoder().encode(value)) }
}

@Suite struct JSONValueTypedBridgeTests {
    @Test func decodesAndEncodesTypedModels() throws {
        struct Meta: Codable, Equatable { var name: String; var generation: Int? }
        let value: JSONValue = ["name": "web", "generation": 2, "unknown": true]
        let meta = try value.decode(as: Meta.self)
        #expect(meta == Meta(name: "web", generation: 2))
        let back = try JSONValue(encoding: meta)
        #expect(back == ["name": "web", "generation": 2])
    }
}
