import CProtobufC
import CProtos

// `google.protobuf.*Value` wrappers: in Swift a wrapper field is simply an optional of its
// value (`String?`), so the generated code lowers and lifts them through these overloads.

extension CArena {
    package func wrapper(_ value: Double) -> UnsafeMutablePointer<Google__Protobuf__DoubleValue> {
        let c = allocate(Google__Protobuf__DoubleValue.self); google__protobuf__double_value__init(c); c.pointee.value = value; return c
    }
    package func wrapper(_ value: Float) -> UnsafeMutablePointer<Google__Protobuf__FloatValue> {
        let c = allocate(Google__Protobuf__FloatValue.self); google__protobuf__float_value__init(c); c.pointee.value = value; return c
    }
    package func wrapper(_ value: Int64) -> UnsafeMutablePointer<Google__Protobuf__Int64Value> {
        let c = allocate(Google__Protobuf__Int64Value.self); google__protobuf__int64_value__init(c); c.pointee.value = .init(value); return c
    }
    package func wrapper(_ value: UInt64) -> UnsafeMutablePointer<Google__Protobuf__UInt64Value> {
        let c = allocate(Google__Protobuf__UInt64Value.self); google__protobuf__uint64_value__init(c); c.pointee.value = .init(value); return c
    }
    package func wrapper(_ value: Int32) -> UnsafeMutablePointer<Google__Protobuf__Int32Value> {
        let c = allocate(Google__Protobuf__Int32Value.self); google__protobuf__int32_value__init(c); c.pointee.value = value; return c
    }
    package func wrapper(_ value: UInt32) -> UnsafeMutablePointer<Google__Protobuf__UInt32Value> {
        let c = allocate(Google__Protobuf__UInt32Value.self); google__protobuf__uint32_value__init(c); c.pointee.value = value; return c
    }
    package func wrapper(_ value: Bool) -> UnsafeMutablePointer<Google__Protobuf__BoolValue> {
        let c = allocate(Google__Protobuf__BoolValue.self); google__protobuf__bool_value__init(c); c.pointee.value = CConvert.cBool(value); return c
    }
    package func wrapper(_ value: String) -> UnsafeMutablePointer<Google__Protobuf__StringValue> {
        let c = allocate(Google__Protobuf__StringValue.self); google__protobuf__string_value__init(c); c.pointee.value = cString(value); return c
    }
    package func wrapper(_ value: [UInt8]) -> UnsafeMutablePointer<Google__Protobuf__BytesValue> {
        let c = allocate(Google__Protobuf__BytesValue.self); google__protobuf__bytes_value__init(c); c.pointee.value = binaryData(value); return c
    }
}

extension CConvert {
    package static func wrapper(_ c: UnsafePointer<Google__Protobuf__DoubleValue>) -> Double { c.pointee.value }
    package static func wrapper(_ c: UnsafePointer<Google__Protobuf__FloatValue>) -> Float { c.pointee.value }
    package static func wrapper(_ c: UnsafePointer<Google__Protobuf__Int64Value>) -> Int64 { .init(c.pointee.value) }
    package static func wrapper(_ c: UnsafePointer<Google__Protobuf__UInt64Value>) -> UInt64 { .init(c.pointee.value) }
    package static func wrapper(_ c: UnsafePointer<Google__Protobuf__Int32Value>) -> Int32 { c.pointee.value }
    package static func wrapper(_ c: UnsafePointer<Google__Protobuf__UInt32Value>) -> UInt32 { c.pointee.value }
    package static func wrapper(_ c: UnsafePointer<Google__Protobuf__BoolValue>) -> Bool { bool(c.pointee.value) }
    package static func wrapper(_ c: UnsafePointer<Google__Protobuf__StringValue>) -> String { string(c.pointee.value) }
    package static func wrapper(_ c: UnsafePointer<Google__Protobuf__BytesValue>) -> [UInt8] { bytes(c.pointee.value) }
}
