import ProtoRuntime

/// Which paths of a resource an update may name, and how each is copied from the request's
/// resource onto the stored one (AIP-134). An empty mask, an unknown path, an output-only
/// path or an immutable path is INVALID_ARGUMENT naming the path.
public struct FieldMaskPolicy<Resource: Sendable>: Sendable {
    public typealias Copy = @Sendable (_ target: inout Resource, _ source: Resource) -> Void

    let resourceName: String
    let updatable: [String: Copy]
    let outputOnly: Set<String>
    /// Settable on create, never after; the value says what to use instead.
    let immutable: [String: String]

    init(resourceName: String, updatable: [String: Copy], outputOnly: Set<String>, immutable: [String: String] = [:]) {
        self.resourceName = resourceName
        self.updatable = updatable
        self.outputOnly = outputOnly
        self.immutable = immutable
    }

    /// The paths an update may name, sorted (for messages and docs).
    public var updatablePaths: [String] { updatable.keys.sorted() }

    /// `current` with the fields named in `mask` taken from `patch`.
    public func apply(_ mask: FieldMask?, from patch: Resource, to current: Resource) throws(DomainError) -> Resource {
        var updated = current
        for copy in try copies(for: mask) { copy(&updated, patch) }
        return updated
    }

    /// Checks `mask` without applying it (so a bad mask is refused before any store access).
    public func check(_ mask: FieldMask?) throws(DomainError) {
        _ = try copies(for: mask)
    }

    private func copies(for mask: FieldMask?) throws(DomainError) -> [Copy] {
        guard let mask, !mask.paths.isEmpty else {
            throw .invalid("update_mask is required: name the fields to change, e.g. \(updatablePaths.prefix(3).joined(separator: ", "))")
        }
        var copies: [Copy] = []
        for path in mask.paths {
            if let copy = updatable[path] {
                copies.append(copy)
            } else if outputOnly.contains(path) {
                throw .invalid("update_mask path '\(path)' is output only and cannot be set")
            } else if let instead = immutable[path] {
                throw .invalid("update_mask path '\(path)' is immutable: \(instead)")
            } else {
                throw .invalid(
                    "update_mask path '\(path)' is not a field of \(resourceName) that can be updated; "
                        + "updatable: \(updatablePaths.joined(separator: ", "))")
            }
        }
        return copies
    }
}
