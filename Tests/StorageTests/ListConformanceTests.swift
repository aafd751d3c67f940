import Storage
import Testing

/// Prefix lists, paging and reads at a past revision; every backend must pass.
@Suite("List conformance", .timeLimit(.minutes(1)))
struct ListConformanceTests {
    @Test(arguments: Backend.all)
    func listFiltersByPrefixInKeyOrder(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            for name in ["b", "a", "c"] { _ = try await store.create("/registry/pods/default/\(name)", value: bytes(name)) }
            _ = try await store.create("/registry/pods/kube-system/x", value: [])
            _ = try await store.create("/registry/podsecurity/y", value: [])
            _ = try await store.create("/registry/pods/default/gone", value: [])
            _ = try await store.delete("/registry/pods/default/gone", expectedRevision: nil)

            let page = try await store.list(prefix: "/registry/pods/default/")
            #expect(page.items.map(\.key) == ["a", "b", "c"].map { "/registry/pods/default/\($0)" })
            #expect(page.items.map(\.value) == [bytes("a"), bytes("b"), bytes("c")])
            #expect(page.revision == 7)
            #expect(page.continueToken == nil)
            #expect(try await store.list(prefix: "/registry/pods/").items.count == 4)
            #expect(try await store.list(prefix: "").items.count == 5)
        }
    }

    @Test(arguments: Backend.all)
    func pagesShareOneSnapshot(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            for index in 0..<25 { _ = try await store.create("/p/\(1000 + index)", value: bytes("\(index)")) }
            let first = try await store.list(prefix: "/p/", limit: 10, continueToken: nil, revision: nil)
            #expect(first.items.count == 10)
            let token = try #require(first.continueToken)

            // Writes after the first page must not show up in later pages of the same list.
            _ = try await store.delete("/p/1015", expectedRevision: nil)
            _ = try await store.create("/p/1030", value: [])
            _ = try await store.update("/p/1020", value: bytes("changed"), expectedRevision: nil)

            let second = try await store.list(prefix: "/p/", limit: 10, continueToken: token, revision: nil)
            let third = try await store.list(prefix: "/p/", limit: 10, continueToken: second.continueToken, revision: nil)
            #expect(second.revision == first.revision)
            #expect(third.continueToken == nil)
            let keys = (first.items + second.items + third.items).map(\.key)
            #expect(keys == (0..<25).map { "/p/\(1000 + $0)" })
            let all = first.items + second.items + third.items
            #expect(all.first { $0.key == "/p/1020" }?.value == bytes("20"))
            #expect(all.first { $0.key == "/p/1015" } != nil)

            // An exact multiple of the page size ends without an empty extra page.
            let exact = try await store.list(prefix: "/p/", limit: 25, continueToken: nil, revision: first.revision)
            #expect(exact.items.count == 25)
            #expect(exact.continueToken == nil)

            try await expectStorageError(.invalidContinueToken) {
                _ = try await store.list(prefix: "/p/", limit: 10, continueToken: "garbage", revision: nil)
            }
        }
    }

    @Test(arguments: Backend.all)
    func listAtAPastRevision(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            _ = try await store.create("/h/a", value: bytes("a1"))         // 1
            _ = try await store.create("/h/b", value: bytes("b1"))         // 2
            _ = try await store.update("/h/a", value: bytes("a2"), expectedRevision: 1) // 3
            _ = try await store.delete("/h/b", expectedRevision: 2)        // 4
            _ = try await store.create("/h/b", value: bytes("b2"))         // 5

            func snapshot(_ revision: Int64) async throws -> [String] {
                let page = try await store.list(prefix: "/h/", limit: 0, continueToken: nil, revision: revision)
                #expect(page.revision == revision)
                return page.items.map { "\($0.key)=\(String(decoding: $0.value, as: UTF8.self))@\($0.modRevision)" }
            }
            #expect(try await snapshot(0) == [])
            #expect(try await snapshot(1) == ["/h/a=a1@1"])
            #expect(try await snapshot(2) == ["/h/a=a1@1", "/h/b=b1@2"])
            #expect(try await snapshot(3) == ["/h/a=a2@3", "/h/b=b1@2"])
            #expect(try await snapshot(4) == ["/h/a=a2@3"])
            #expect(try await snapshot(5) == ["/h/a=a2@3", "/h/b=b2@5"])
            try await expectStorageError(.futureRevision) { _ = try await snapshot(6) }
        }
    }

    /// Prefixes match bytes, as etcd's do: no Unicode normalisation, multi-byte characters are no special case.
    @Test(arguments: Backend.all)
    func prefixesAreBytewise(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            for key in ["/u/é1", "/u/éz", "/u/e\u{301}x", "/u/f", "/u/\u{10FFFF}", "/v/é"] {
                _ = try await store.create(key, value: [])
            }
            #expect(try await store.list(prefix: "/u/é").items.map(\.key) == ["/u/é1", "/u/éz"])
            #expect(try await store.list(prefix: "/u/\u{10FFFF}").items.map(\.key) == ["/u/\u{10FFFF}"])
            #expect(try await store.list(prefix: "/u/").items.count == 5)
            let stream = try await store.watch(prefix: "/u/é", afterRevision: 0)
            #expect(try await take(2, from: stream).map(\.key) == ["/u/é1", "/u/éz"])
        }
    }

    /// A continue token never widens a list beyond its prefix.
    @Test(arguments: Backend.all)
    func aForeignContinueTokenStaysInsideThePrefix(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            for key in ["/a/1", "/a/2", "/a/3", "/b/1", "/b/2"] { _ = try await store.create(key, value: []) }
            let first = try await store.list(prefix: "/a/", limit: 1, continueToken: nil, revision: nil)
            let foreign = try await store.list(prefix: "/b/", limit: 0, continueToken: first.continueToken, revision: nil)
            #expect(foreign.items.map(\.key) == ["/b/1", "/b/2"])
            let earlier = try await store.list(prefix: "/", limit: 2, continueToken: nil, revision: nil)
            let narrowed = try await store.list(prefix: "/a/", limit: 0, continueToken: earlier.continueToken, revision: nil)
            #expect(narrowed.items.map(\.key) == ["/a/3"])
        }
    }
}
