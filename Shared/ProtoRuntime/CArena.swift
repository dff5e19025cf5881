import CProtobufC
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns every C allocation made while a Swift message is lowered into protobuf-c structs.
///
/// Encoding builds a tree of C structs (strings, arrays, sub-messages) that lives only while
/// protobuf-c packs it; the arena is the single owner of all of it and frees everything at once
/// in `deinit`, on every path (including a throwing `body`). Memory comes from a few large
/// blocks, so lowering a message costs a handful of `malloc` calls, not one per field.
package final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer? = nil
    private var remaining = 0
    private var nextBlockSize: Int

    package init(initialBlockSize: Int = 1024) {
        nextBlockSize = initialBlockSize
    }

    deinit {
        for block in blocks { free(block) }
    }

    /// Raw, uninitialised memory aligned to `alignment` (a power of two, at most 16).
    /// Not inlinable: it reaches the arena's private cursor; the generic helpers around it are,
    /// so generated code in other modules gets them specialized instead of looking up type
    /// metadata at run time for every repeated field.
    package func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let size = max(byteCount, 1)
        if let start = cursor {
            let address = Int(bitPattern: start)
            let padding = (alignment - (address & (alignment - 1))) & (alignment - 1)
            if padding + size <= remaining {
                let result = start + padding
                cursor = result + size
                remaining -= padding + size
                return result
            }
        }
        let blockSize = max(nextBlockSize, size + 16)
        nextBlockSize = min(nextBlockSize * 2, 1 << 20)
        guard let block = malloc(blockSize) else { fatalError("CArena: out of memory (\(blockSize) bytes)") }
        blocks.append(block)
        // malloc returns 16-byte aligned memory on the platforms we build for.
        cursor = block + size
        remaining = blockSize - size
        return block
    }

    /// Uninitialised storage for one `T`; the caller initialises it (e.g. with the C `__init`).
    package func allocate<T>(_ type: T.Type) -> UnsafeMutablePointer<T> {
        allocate(byteCount: MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: 1)
    }

    /// Storage for `count` values of `T`, or nil for an empty array (protobuf-c's convention).
    @inlinable
    package func allocateArray<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T>? {
        guard count > 0 else { return nil }
        return allocate(byteCount: MemoryLayout<T>.stride * count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: count)
    }

    /// A copy of `values` (trivial types whose Swift and C layouts agree, e.g. Int32/int32_t).
    package func copyArray<T: BitwiseCopyable>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard let destination = allocateArray(T.self, count: values.count) else { return nil }
        values.withUnsafeBufferPointer { source in
            destination.initialize(from: source.baseAddress!, count: source.count)
        }
        return destination
    }

    /// A NUL-terminated copy of `string` (empty strings share one static buffer).
    package func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        if string.isEmpty { return emptyCString }
        var string = string
        return string.withUTF8 { utf8 in
            let destination = allocate(byteCount: utf8.count + 1, alignment: 1).bindMemory(to: CChar.self, capacity: utf8.count + 1)
            UnsafeMutableRawPointer(destination).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
            destination[utf8.count] = 0
            return destination
        }
    }

    /// protobuf-c's representation of a `bytes` value, copied into the arena.
    package func binaryData(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        ProtobufCBinaryData(len: bytes.count, data: copyArray(bytes))
    }
}

/// One shared, never-freed, never-written empty C string: protobuf-c only reads strings.
nonisolated(unsafe) private let emptyCString: UnsafeMutablePointer<CChar> = {
    let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return pointer
}()

extension CArena {
    /// A C array of `values` converted one by one (for element types whose layouts differ,
    /// e.g. Bool → protobuf_c_boolean, Int64 → int64_t imported as Int).
    @inlinable @inline(__always)
    package func array<S, C>(_ values: [S], _ convert: (S) -> C) -> UnsafeMutablePointer<C>? {
        guard let destination = allocateArray(C.self, count: values.count) else { return nil }
        for (index, value) in values.enumerated() { (destination + index).initialize(to: convert(value)) }
        return destination
    }

    /// A C array of pointers (repeated strings and messages): `T **`.
    @inlinable @inline(__always)
    package func pointerArray<S, C>(_ values: [S], _ lower: (S) -> UnsafeMutablePointer<C>) -> UnsafeMutablePointer<UnsafeMutablePointer<C>?>? {
        guard let destination = allocateArray(UnsafeMutablePointer<C>?.self, count: values.count) else { return nil }
        for (index, value) in values.enumerated() { (destination + index).initialize(to: lower(value)) }
        return destination
    }
}
