"""Reference side of the byte-compatibility tests: Python's protobuf (the reference
implementation) builds the same named FieldKinds cases as Tests/ProtoRuntimeTests/FieldKindsCases.swift.

  field_kinds_compat.py encode DIR   write DIR/<case>.bin (deterministic) and DIR/<case>.json
  field_kinds_compat.py check DIR    read the Swift side's DIR/<case>.bin and .json and compare
                                     each with the case built here; exit 1 on any mismatch
"""
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_module():
    out = tempfile.mkdtemp(prefix="qe-pb2-")
    from grpc_tools import protoc
    import grpc_tools
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    rc = protoc.main(["protoc", f"-I{ROOT}/proto", f"-I{include}", f"--python_out={out}",
                      "quantum/testing/v1/field_kinds.proto"])
    if rc != 0:
        raise SystemExit("protoc failed")
    sys.path.insert(0, out)
    from quantum.testing.v1 import field_kinds_pb2
    return field_kinds_pb2


pb = load_module()
from google.protobuf import json_format  # noqa: E402


def cases():
    FK = pb.FieldKinds
    result = {}
    result["defaults"] = FK()

    m = FK()
    m.f_int32 = 123456; m.f_int64 = 1234567890123; m.f_uint32 = 4000000000; m.f_uint64 = 18446744073709551615
    m.f_sint32 = 7; m.f_sint64 = 9007199254740993; m.f_fixed32 = 4294967295; m.f_fixed64 = 1 << 63
    m.f_sfixed32 = 2147483647; m.f_sfixed64 = 9223372036854775807; m.f_float = 1.5; m.f_double = 3.141592653589793
    m.f_bool = True; m.f_string = "hello"; m.f_bytes = bytes([0, 1, 2, 255]); m.f_colour = pb.COLOUR_GREEN
    m.f_level = FK.LEVEL_HIGH
    result["scalars"] = m

    m = FK()
    m.f_int32 = -1; m.f_int64 = -9223372036854775808; m.f_sint32 = -2147483648; m.f_sint64 = -1
    m.f_sfixed32 = -2147483648; m.f_sfixed64 = -42; m.f_float = -0.25; m.f_double = -1e-300
    m.f_colour = pb.COLOUR_INFRARED
    result["negatives"] = m

    m = FK()
    m.f_string = "Grüße, 東京, emoji 🚀, quote \" backslash \\ newline \n tab \t"
    m.r_string.extend(["", "ä", "𝄞"])
    result["unicode"] = m

    m = FK()
    m.f_point.x = -3; m.f_point.y = 4; m.f_point.label = "p"
    m.f_inner.value = -99; m.f_inner.level = FK.LEVEL_LOW
    result["nested"] = m

    m = FK()
    m.r_int32.extend([0, -1, 2147483647, -2147483648]); m.r_sint64_unpacked.extend([-1, 0, 1, -9223372036854775808])
    m.r_double.extend([0.0, -2.5, 1e100]); m.r_bool.extend([True, False, True]); m.r_bytes.extend([b"", b"\x00\xff"])
    m.r_colour.extend([pb.COLOUR_RED, pb.COLOUR_UNSPECIFIED, pb.COLOUR_INFRARED])
    p1 = m.r_point.add(); p1.x = 1
    m.r_point.add()
    p3 = m.r_point.add(); p3.label = "third"
    m.r_fixed64.extend([0, 18446744073709551615]); m.r_float.extend([0.5, -0.125]); m.r_uint64.extend([1, 18446744073709551614])
    result["repeated"] = m

    m = FK()
    m.m_string_int64["b"] = 2; m.m_string_int64["a"] = -1; m.m_string_int64[""] = 0
    m.m_int32_point[7].x = 1; m.m_int32_point[-7].label = "neg"; m.m_int32_point[0].CopyFrom(pb.Point())
    m.m_bool_string[True] = "yes"; m.m_bool_string[False] = ""
    m.m_uint64_colour[18446744073709551615] = pb.COLOUR_RED; m.m_uint64_colour[0] = pb.COLOUR_UNSPECIFIED
    result["maps"] = m

    m = FK(); m.choice_text = "chosen"; result["oneof_text"] = m
    m = FK(); m.choice_number = 0; result["oneof_zero_number"] = m
    m = FK(); m.choice_point.CopyFrom(pb.Point()); result["oneof_empty_point"] = m
    m = FK(); m.choice_colour = pb.COLOUR_GREEN; result["oneof_colour"] = m

    m = FK()
    m.f_timestamp.seconds = 1767225600; m.f_timestamp.nanos = 500000000
    m.f_duration.seconds = -1; m.f_duration.nanos = -500000000
    m.f_field_mask.paths.extend(["display_name", "contact.email_address"])
    m.w_string.value = ""; m.w_int64.value = -5; m.w_bool.value = False; m.w_double.value = 2.25
    m.w_uint32.value = 4294967295; m.w_bytes.value = b"\x01"; m.w_float.value = 0.0; m.w_int32.value = -7
    m.w_uint64.value = 18446744073709551615
    t = m.r_timestamp.add(); t.seconds = -62135596800
    t = m.r_timestamp.add(); t.seconds = 253402300799; t.nanos = 999999999
    result["well_known"] = m

    m = FK(); m.f_colour = 42; m.r_colour.extend([99, -5]); result["unknown_enum"] = m
    return result


def encode(directory):
    for name, message in cases().items():
        with open(os.path.join(directory, name + ".bin"), "wb") as f:
            f.write(message.SerializeToString(deterministic=True))
        with open(os.path.join(directory, name + ".json"), "w") as f:
            f.write(json_format.MessageToJson(message))


def check(directory):
    failures = 0
    for name, expected in cases().items():
        with open(os.path.join(directory, name + ".bin"), "rb") as f:
            data = f.read()
        decoded = pb.FieldKinds()
        decoded.ParseFromString(data)
        if decoded != expected:
            print(f"MISMATCH binary {name}:\n  swift decoded as: {decoded}\n  expected: {expected}")
            failures += 1
        with open(os.path.join(directory, name + ".json")) as f:
            text = f.read()
        parsed = json_format.Parse(text, pb.FieldKinds())
        if parsed != expected:
            print(f"MISMATCH json {name}:\n  swift json: {text}\n  parsed as: {parsed}\n  expected: {expected}")
            failures += 1
    print(f"python check: {len(cases())} cases, {failures} mismatches")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    {"encode": encode, "check": check}[sys.argv[1]](sys.argv[2])
