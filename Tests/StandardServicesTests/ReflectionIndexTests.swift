import CustomerAPI
import ProtoRuntime
import StandardServices
import XCTest

final class ReflectionIndexTests: XCTestCase {
    private let index = ReflectionIndex(
        files: CustomerAPIDescriptors.filesWithDependencies,
        serviceNames: [CustomerServiceMethods.serviceName, "grpc.health.v1.Health"])

    /// The file name in a serialized FileDescriptorProto (field 1, length-delimited).
    private func fileName(_ serialized: [UInt8]) -> String? {
        guard serialized.count > 2, serialized[0] == 0x0A, Int(serialized[1]) + 2 <= serialized.count else { return nil }
        return String(decoding: serialized[2..<2 + Int(serialized[1])], as: UTF8.self)
    }

    func testFileContainingAServiceComesWithEveryImportTransitively() throws {
        guard case .files(let files) = index.answer(.fileContainingSymbol("quantum.customer.v1.CustomerService")) else {
            return XCTFail("service not found")
        }
        let names = files.compactMap(fileName)
        XCTAssertEqual(names.first, "quantum/customer/v1/customer_service.proto")
        XCTAssertTrue(names.contains("quantum/customer/v1/customer.proto"))
        XCTAssertTrue(names.contains("quantum/type/v1/money.proto"))
        XCTAssertTrue(names.contains("google/protobuf/timestamp.proto"))
        XCTAssertEqual(Set(names).count, names.count, "each file once")
    }

    func testMethodsFieldsAndNestedNamesResolveToTheirFile() {
        for symbol in ["quantum.customer.v1.CustomerService.GetCustomer", "quantum.customer.v1.Customer",
                       "quantum.customer.v1.Customer.display_name", "quantum.customer.v1.CustomerKind"] {
            guard case .files(let files) = index.answer(.fileContainingSymbol(symbol)) else { return XCTFail(symbol) }
            XCTAssertFalse(files.isEmpty, symbol)
        }
    }

    func testUnknownNamesAreNotFound() {
        XCTAssertEqual(index.answer(.fileContainingSymbol("no.such.Thing")), .error(code: 5, message: "symbol not found: no.such.Thing"))
        guard case .error(5, _) = index.answer(.fileByFilename("nope.proto")) else { return XCTFail() }
        guard case .error(5, _) = index.answer(.fileContainingExtension(type: "quantum.customer.v1.Customer", number: 100)) else { return XCTFail() }
    }

    func testListServicesIsSorted() {
        XCTAssertEqual(index.answer(.listServices), .services(["grpc.health.v1.Health", "quantum.customer.v1.CustomerService"]))
    }
}
