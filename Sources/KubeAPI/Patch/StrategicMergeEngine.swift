/// The kind of list elements, standing in for Go's `reflect.Type` comparison in `sliceElementType`.
enum PatchListElementKind: Equatable {
    case map, list, string, number, bool, null

    init(_ value: JSONValue) {
        switch value {
        case .object: self = .map
        case .array: self = .list
        case .string: self = .string
        case .integer, .bigInteger, .float: self = .number
        case .bool: self = .bool
        case .null: self = .null
        }
    }
}

/// The recursive merge behind `StrategicMergePatch.apply`, one method per upstream helper so the two can be
/// compared side by side (`mergeMap`, `mergeSlice`, `normalizeElementOrder`, ...).
struct StrategicMergeEngine {
    typealias Directive = StrategicMergePatch

    // MARK: Maps

    mutating func mergeMap(_ original: JSONObject, _ patch: JSONObject, _ context: PatchSchemaContext) throws(PatchError) -> JSONObject {
        if let directive = patch[Directive.directiveMarker] {
            switch directive.string {
            case "replace":
                var replaced = patch
                replaced.removeValue(forKey: Directive.directiveMarker)
                return Self.cleaned(replaced)
            case "delete":
                return [:]
            default:
                throw .bad("Unknown patch type: \(directive.jsonString) in map: \(JSONValue.object(patch).jsonString)")
            }
        }
        var original = original
        var patch = patch
        try applyRetainKeys(&original, &patch)
        try mergeSetElementOrderLists(&original, &patch, context)

        for (patchKey, patchValue) in patch {
            var key = patchKey
            var isDeleteList = false
            if patchKey.hasPrefix(Directive.deleteFromPrimitiveListPrefix) {
                key = String(patchKey.dropFirst(Directive.deleteFromPrimitiveListPrefix.count))
                isDeleteList = true
            }
            if patchValue.isNull {
                original.removeValue(forKey: key)
                continue
            }
            guard let originalValue = original[key] else {
                if !isDeleteList, let kept = Self.removeDirectives(Self.discardNulls(patchValue)) { original[key] = kept }
                continue
            }
            switch (originalValue, patchValue) {
            case (.object(let originalMap), .object(let patchMap)):
                let strategy = try context.info(key)?.primaryStrategy() ?? ""
                original[key] = .null
                original[key] = strategy == "replace"
                    ? patchValue : .object(try mergeMap(originalMap, patchMap, context.child(key)))
            case (.array(let originalList), .array(let patchList)):
                let info = context.info(key)
                original[key] = .null
                original[key] = .array(try mergeSliceHandler(originalList, patchList, info, context.items(key),
                                                             isDeleteList: isDeleteList))
            default:
                if isDeleteList { continue }
                if case .object = patchValue {} else if case .array = patchValue {} else {
                    original[key] = patchValue
                    continue
                }
                if let kept = Self.removeDirectives(Self.discardNulls(patchValue)) {
                    original[key] = kept
                } else {
                    original.removeValue(forKey: key)
                }
            }
        }
        return original
    }

    /// `$retainKeys`: every non-null patch member must be listed; original members not listed are cleared.
    func applyRetainKeys(_ original: inout JSONObject, _ patch: inout JSONObject) throws(PatchError) {
        guard let directive = patch.removeValue(forKey: Directive.retainKeysDirective) else { return }
        guard let list = directive.array else { throw .bad("invalid patch format of retainKeys") }
        let retained = Set(list.compactMap(\.string))
        for (key, value) in patch where !value.isNull && !key.hasPrefix("$") && !retained.contains(key) {
            throw .bad("doesn't match retainKeys: the patch has field \"\(key)\" which $retainKeys does not list")
        }
        original.removeAll { !retained.contains($0.key) }
    }

    /// `$setElementOrder/<field>`: merges the field's list and then imposes the given order.
    mutating func mergeSetElementOrderLists(_ original: inout JSONObject, _ patch: inout JSONObject,
                                            _ context: PatchSchemaContext) throws(PatchError) {
        let directiveKeys = patch.keys.filter { $0.hasPrefix(Directive.setElementOrderPrefix) }
        for directiveKey in directiveKeys {
            guard let orderValue = patch.removeValue(forKey: directiveKey) else { continue }
            guard let order = orderValue.array else { throw .bad("invalid patch format of setElementOrder list") }
            let field = String(directiveKey.dropFirst(Directive.setElementOrderPrefix.count))
            guard !field.isEmpty else { throw .bad("invalid patch format of setElementOrder list") }
            let originalList = try original[field].map { (value) throws(PatchError) -> [JSONValue] in
                guard let list = value.array else { throw .unprocessable("\(field) is not a list in the object") }
                return list
            }
            let patchList = try patch[field].map { (value) throws(PatchError) -> [JSONValue] in
                guard let list = value.array else { throw .bad("\(field) is not a list in the patch") }
                return list
            }
            let info = context.info(field)
            let mergeKey = info?.patchMergeKey ?? ""
            if let patchList { try validate(patchList, againstOrder: order, mergeKey: mergeKey) }
            let merged: [JSONValue]
            switch (originalList, patchList) {
            case (let live?, nil): merged = live
            case (nil, let patched?): merged = Self.removeDirectives(Self.discardNulls(.array(patched)))?.array ?? []
            case (let live?, let patched?):
                merged = try mergeSliceHandler(live, patched, info, context.items(field), isDeleteList: false)
            case (nil, nil): continue
            }
            let (patchItems, serverOnly) = try partition(merged, by: order, mergeKey: mergeKey)
            let kinds = Set(((originalList ?? []) + (patchList ?? [])).map(PatchListElementKind.init))
            guard kinds.count <= 1 else { throw .unprocessable("list element types are not identical in \(field)") }
            let kind = kinds.first ?? order.first.map(PatchListElementKind.init) ?? .map
            original[field] = .array(try normalizeElementOrder(patchItems, serverOnly, patchOrder: order,
                                                               serverOrder: originalList ?? [], mergeKey: mergeKey,
                                                               kind: kind))
            patch.removeValue(forKey: field)
        }
    }

    /// Upstream `validatePatchWithSetOrderList`: the patch items must appear in the order list, in that order.
    func validate(_ patchList: [JSONValue], againstOrder order: [JSONValue], mergeKey: String) throws(PatchError) {
        guard !order.isEmpty, !patchList.isEmpty else { return }
        let items = mergeKey.isEmpty ? patchList : patchList.filter { $0[Directive.directiveMarker]?.string != "delete" }
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < items.count && orderIndex < order.count {
            if items[patchIndex][Directive.directiveMarker] != nil {
                patchIndex += 1
                continue
            }
            let equal: Bool
            if mergeKey.isEmpty {
                equal = items[patchIndex] == order[orderIndex]
            } else {
                guard let left = items[patchIndex][mergeKey], let right = order[orderIndex][mergeKey] else {
                    throw .bad("map: \(items[patchIndex].jsonString) does not contain declared merge key: \(mergeKey)")
                }
                equal = left == right
            }
            if equal { patchIndex += 1 }
            orderIndex += 1
        }
        if patchIndex < items.count {
            throw .bad("The order in patch list:\n\(JSONValue.array(patchList).jsonString)\n doesn't match $setElementOrder list:\n\(JSONValue.array(order).jsonString)")
        }
    }

    // MARK: Lists

    mutating func mergeSliceHandler(_ original: [JSONValue], _ patch: [JSONValue], _ info: FieldPatchInfo?,
                                    _ items: PatchSchemaContext, isDeleteList: Bool) throws(PatchError) -> [JSONValue] {
        let strategy = try info?.primaryStrategy() ?? ""
        guard strategy == "merge" || isDeleteList else { return patch }
        return try mergeSlice(original, patch, items, mergeKey: info?.patchMergeKey ?? "", isDeleteList: isDeleteList)
    }

    mutating func mergeSlice(_ original: [JSONValue], _ patch: [JSONValue], _ items: PatchSchemaContext,
                             mergeKey: String, isDeleteList: Bool) throws(PatchError) -> [JSONValue] {
        if original.isEmpty && patch.isEmpty { return original }
        let kinds = Set((original + patch).map(PatchListElementKind.init))
        guard kinds.count == 1, let kind = kinds.first else {
            throw .unprocessable("list element types are not identical: \(JSONValue.array(original).jsonString), \(JSONValue.array(patch).jsonString)")
        }
        if kind == .list { throw .unprocessable("lists of lists are not supported") }
        var live = original
        var patchItems = patch
        var merged: [JSONValue]
        if kind != .map {
            if isDeleteList {
                return original.filter { !patch.contains($0) }
            }
            merged = []
            for value in original + patch where !merged.contains(value) { merged.append(value) }
        } else {
            guard !mergeKey.isEmpty else { throw .unprocessable("cannot merge lists without merge key for \(items.name)") }
            (live, patchItems) = try mergeSpecialElements(original, patch, mergeKey: mergeKey)
            merged = live
            for item in patchItems {
                guard let keyValue = item[mergeKey] else {
                    throw .unprocessable("map: \(item.jsonString) does not contain declared merge key: \(mergeKey)")
                }
                if let index = try Self.firstIndex(in: merged, mergeKey: mergeKey, value: keyValue),
                   case .object(let existing) = merged[index], case .object(let patchMap) = item
                {
                    merged[index] = .object(try mergeMap(existing, patchMap, items))
                } else if let kept = Self.removeDirectives(Self.discardNulls(item)) {
                    merged.append(kept)
                }
            }
        }
        let (inPatch, serverOnly) = try partition(merged, by: patchItems, mergeKey: mergeKey)
        return try normalizeElementOrder(inPatch, serverOnly, patchOrder: patchItems, serverOrder: live,
                                         mergeKey: mergeKey, kind: kind)
    }

    /// List elements carrying `$patch`: `delete` removes matching live items, `replace` makes the rest of the patch
    /// list the whole list.
    func mergeSpecialElements(_ original: [JSONValue], _ patch: [JSONValue],
                              mergeKey: String) throws(PatchError) -> ([JSONValue], [JSONValue]) {
        var original = original
        var plain: [JSONValue] = []
        var replace = false
        for item in patch {
            guard let directive = item[Directive.directiveMarker] else {
                plain.append(item)
                continue
            }
            switch directive.string {
            case "delete":
                guard let keyValue = item[mergeKey] else {
                    throw .unprocessable("map: \(item.jsonString) does not contain declared merge key: \(mergeKey)")
                }
                original.removeAll { $0[mergeKey] == keyValue }
            case "replace":
                replace = true
            case "merge":
                throw .bad("merging lists cannot yet be specified in the patch")
            default:
                throw .bad("Unknown patch type: \(directive.jsonString) in map: \(item.jsonString)")
            }
        }
        return replace ? (plain, []) : (original, plain)
    }

    static func firstIndex(in list: [JSONValue], mergeKey: String, value: JSONValue) throws(PatchError) -> Int? {
        for (index, item) in list.enumerated() {
            guard case .object(let members) = item else { throw .unprocessable("value for key \(index) is not a map") }
            if members[mergeKey] == value { return index }
        }
        return nil
    }

    // MARK: Ordering (upstream normalizeElementOrder / mergeSortedSlice)

    /// Splits `merged` into items present in `partitionBy` (by merge key for maps) and the rest.
    func partition(_ merged: [JSONValue], by partitionBy: [JSONValue],
                   mergeKey: String) throws(PatchError) -> ([JSONValue], [JSONValue]) {
        var present: [JSONValue] = []
        var absent: [JSONValue] = []
        if mergeKey.isEmpty {
            let members = Set(partitionBy)
            for item in merged {
                if members.contains(item) { present.append(item) } else { absent.append(item) }
            }
            return (present, absent)
        }
        let keys = Set(partitionBy.compactMap { $0[mergeKey] })
        for item in merged {
            guard case .object(let members) = item else { throw .unprocessable("list item \(item.jsonString) is not a map") }
            guard let keyValue = members[mergeKey] else {
                throw .unprocessable("map: \(item.jsonString) does not contain declared merge key: \(mergeKey)")
            }
            if keys.contains(keyValue) { present.append(item) } else { absent.append(item) }
        }
        return (present, absent)
    }

    func normalizeElementOrder(_ patchItems: [JSONValue], _ serverOnly: [JSONValue], patchOrder: [JSONValue],
                               serverOrder: [JSONValue], mergeKey: String, kind: PatchListElementKind) throws(PatchError) -> [JSONValue] {
        let sortedPatch = try normalizeSliceOrder(patchItems, order: patchOrder, mergeKey: mergeKey, kind: kind)
        let sortedServer = try normalizeSliceOrder(serverOnly, order: serverOrder, mergeKey: mergeKey, kind: kind)
        return mergeSortedSlices(sortedServer, sortedPatch, serverOrder: serverOrder, mergeKey: mergeKey, kind: kind)
    }

    /// Stable sort by position in `order`; items not found keep their relative order after the found ones, and
    /// `$patch: delete` items go last.
    func normalizeSliceOrder(_ items: [JSONValue], order: [JSONValue], mergeKey: String,
                             kind: PatchListElementKind) throws(PatchError) -> [JSONValue] {
        var toSort = items
        var toDelete: [JSONValue] = []
        if kind == .map && !mergeKey.isEmpty {
            for item in items + order where item[mergeKey] == nil {
                throw .unprocessable("map: \(item.jsonString) does not contain declared merge key: \(mergeKey)")
            }
            toSort = items.filter { $0[Directive.directiveMarker]?.string != "delete" }
            toDelete = items.filter { $0[Directive.directiveMarker]?.string == "delete" }
        }
        let positions = toSort.enumerated().map { offset, item in
            (item: item, rank: Self.index(of: item, in: order, mergeKey: mergeKey, kind: kind) ?? Int.max, offset: offset)
        }
        let sorted = positions.sorted { ($0.rank, $0.offset) < ($1.rank, $1.offset) }.map(\.item)
        return sorted + toDelete
    }

    /// Interleaves server-only items (`left`) into patch items (`right`): a server item goes first only when both
    /// appear in the live list and it came earlier there.
    func mergeSortedSlices(_ left: [JSONValue], _ right: [JSONValue], serverOrder: [JSONValue], mergeKey: String,
                           kind: PatchListElementKind) -> [JSONValue] {
        var result: [JSONValue] = []
        result.reserveCapacity(left.count + right.count)
        var i = 0
        var j = 0
        while i < left.count || j < right.count {
            if i >= left.count {
                result.append(right[j]); j += 1
            } else if j >= right.count {
                result.append(left[i]); i += 1
            } else if let li = Self.index(of: left[i], in: serverOrder, mergeKey: mergeKey, kind: kind),
                      let ri = Self.index(of: right[j], in: serverOrder, mergeKey: mergeKey, kind: kind), li < ri
            {
                result.append(left[i]); i += 1
            } else {
                result.append(right[j]); j += 1
            }
        }
        return result
    }

    static func index(of item: JSONValue, in list: [JSONValue], mergeKey: String, kind: PatchListElementKind) -> Int? {
        if kind == .map {
            let key = item[mergeKey]
            return list.firstIndex { $0[mergeKey] == key }
        }
        return list.firstIndex(of: item)
    }

    // MARK: Cleaning inserted values

    /// Drops maps that carry `$patch` (and their member) and other `$`-directive members, as upstream's
    /// `removeDirectives` does for values taken straight from the patch; nil means "do not keep".
    static func removeDirectives(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let members):
            if members[StrategicMergePatch.directiveMarker] != nil { return nil }
            return .object(cleaned(members))
        case .array(let elements):
            return .array(elements.compactMap(removeDirectives))
        default:
            return value
        }
    }

    static func cleaned(_ members: JSONObject) -> JSONObject {
        var result = JSONObject(minimumCapacity: members.count)
        for (key, value) in members where !key.hasPrefix("$") {
            if let kept = removeDirectives(value) { result[key] = kept }
        }
        return result
    }

    /// Removes null members at any depth (upstream `discardNullValuesFromPatch`).
    static func discardNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result = JSONObject(minimumCapacity: members.count)
            for (key, member) in members where !member.isNull { result[key] = discardNulls(member) }
            return .object(result)
        case .array(let elements):
            return .array(elements.map(discardNulls))
        default:
            return value
        }
    }
}
