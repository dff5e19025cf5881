import ProtoRuntime

/// What server reflection answers, independent of the protocol version (v1 and v1alpha carry
/// the same content in differently named packages).
public struct ReflectionIndex: Sendable {
    private let filesByName: [String: ProtoFileDescriptor]
    private let fileBySymbol: [String: String]
    /// Services the server exposes, sorted.
    public let serviceNames: [String]

    /// `files` must include every file the served services import (use a module's
    /// `filesWithDependencies`); duplicates are fine.
    public init(files: [ProtoFileDescriptor], serviceNames: [String]) {
        var filesByName: [String: ProtoFileDescriptor] = [:]
        var fileBySymbol: [String: String] = [:]
        for file in files {
            filesByName[file.name] = file
            for symbol in file.symbols { fileBySymbol[symbol] = file.name }
        }
        self.filesByName = filesByName
        self.fileBySymbol = fileBySymbol
        self.serviceNames = serviceNames.sorted()
    }

    /// Why a lookup failed, with the gRPC code reflection reports.
    public struct LookupError: Error, Equatable {
        public let code: Int32
        public let message: String
    }

    /// The named file and everything it imports, transitively, the file itself first.
    public func file(named name: String) -> Result<[[UInt8]], LookupError> {
        guard filesByName[name] != nil else { return .failure(LookupError(code: 5, message: "file not found: \(name)")) }
        return .success(withDependencies(name).map(\.serialized))
    }

    /// The file that defines `symbol` (a message, enum, service, method or field's parent),
    /// with its transitive imports.
    public func file(containingSymbol symbol: String) -> Result<[[UInt8]], LookupError> {
        var candidate = symbol
        while !candidate.isEmpty {
            if let name = fileBySymbol[candidate] { return .success(withDependencies(name).map(\.serialized)) }
            // `pkg.Message.field` or `pkg.Service.Method`: try the enclosing name.
            guard let dot = candidate.lastIndex(of: ".") else { break }
            candidate = String(candidate[..<dot])
        }
        return .failure(LookupError(code: 5, message: "symbol not found: \(symbol)"))
    }

    /// Files in dependency order starting with `name`, each once.
    private func withDependencies(_ name: String) -> [ProtoFileDescriptor] {
        var ordered: [ProtoFileDescriptor] = []
        var seen = Set<String>()
        var pending = [name]
        while let next = pending.first {
            pending.removeFirst()
            guard seen.insert(next).inserted, let file = filesByName[next] else { continue }
            ordered.append(file)
            pending.append(contentsOf: file.dependencies)
        }
        return ordered
    }
}

/// A reflection request, whatever the protocol version.
public enum ReflectionQuery: Sendable, Equatable {
    case fileByFilename(String)
    case fileContainingSymbol(String)
    case fileContainingExtension(type: String, number: Int32)
    case allExtensionNumbersOfType(String)
    case listServices
    case empty
}

/// A reflection answer, whatever the protocol version.
public enum ReflectionAnswer: Sendable, Equatable {
    case files([[UInt8]])
    case extensionNumbers(baseType: String, numbers: [Int32])
    case services([String])
    case error(code: Int32, message: String)
}

extension ReflectionIndex {
    public func answer(_ query: ReflectionQuery) -> ReflectionAnswer {
        func files(_ result: Result<[[UInt8]], LookupError>) -> ReflectionAnswer {
            switch result {
            case .success(let files): return .files(files)
            case .failure(let error): return .error(code: error.code, message: error.message)
            }
        }
        switch query {
        case .fileByFilename(let name): return files(file(named: name))
        case .fileContainingSymbol(let symbol): return files(file(containingSymbol: symbol))
        case let .fileContainingExtension(type, number):
            return .error(code: 5, message: "no extension \(number) of \(type): our protos define no extensions")
        case .allExtensionNumbersOfType(let type):
            guard case .success = file(containingSymbol: type) else { return .error(code: 5, message: "type not found: \(type)") }
            return .extensionNumbers(baseType: type, numbers: [])
        case .listServices: return .services(serviceNames)
        case .empty: return .error(code: 3, message: "empty reflection request")
        }
    }
}
