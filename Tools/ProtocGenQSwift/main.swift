// protoc-gen-qswift: a protoc plugin that writes the mesh's Swift API from proto files.
//
// protoc sends a CodeGeneratorRequest on stdin; we decode it with protobuf-c's generated code
// for plugin.proto, build a model of the files, and answer with a CodeGeneratorResponse.
// Parameter: `modules=PATH` — a file mapping each proto package to its Swift module.
import CProtobufC
import CProtos
import Foundation
import ProtoRuntime

struct PluginFailure: Error { let message: String }

func loadModuleMap(parameter: String) throws -> [String: String] {
    var path: String?
    for option in parameter.split(separator: ",") {
        let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
        if parts.count == 2, parts[0] == "modules" { path = parts[1] }
    }
    guard let path else { throw PluginFailure(message: "missing parameter modules=PATH (see scripts/generate)") }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw PluginFailure(message: "cannot read \(path)") }
    var map: [String: String] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if parts.count == 2 { map[parts[0]] = parts[1] }
    }
    return map
}

/// Generated files as (name, content).
func generate(_ request: UnsafeMutablePointer<Google__Protobuf__Compiler__CodeGeneratorRequest>) throws -> [(String, String)] {
    let moduleForPackage = try loadModuleMap(parameter: request.pointee.parameter.map { String(cString: $0) } ?? "")
    var models: [FileModel] = []
    for index in 0..<request.pointee.n_proto_file {
        if let file = request.pointee.proto_file[index] { models.append(readFile(file)) }
    }
    let byName = Dictionary(uniqueKeysWithValues: models.map { ($0.name, $0) })
    let registry = TypeRegistry(files: models, moduleForPackage: moduleForPackage)
    let toGenerate = (0..<request.pointee.n_file_to_generate).map { String(cString: request.pointee.file_to_generate[$0]!) }

    var outputs: [(String, String)] = []
    var filesByModule: [String: [FileModel]] = [:]
    for name in toGenerate {
        let file = byName[name]!
        guard let module = moduleForPackage[file.package] else {
            throw PluginFailure(message: "\(name): package \(file.package) has no module in the modules file")
        }
        filesByModule[module, default: []].append(file)
        let emitter = FileEmitter(file: file, module: module, registry: registry, allFiles: byName)
        outputs.append((emitter.outputPath, emitter.emit()))
    }
    for (module, files) in filesByModule.sorted(by: { $0.key < $1.key }) {
        var dependencies = Set<String>()
        for file in files {
            for dependency in file.dependencies {
                if let package = byName[dependency]?.package, let other = moduleForPackage[package], other != module {
                    dependencies.insert(other)
                }
            }
        }
        let emitter = ModuleRegistryEmitter(module: module, files: files, dependencyModules: dependencies.sorted())
        outputs.append((emitter.outputPath, emitter.emit()))
    }
    return outputs
}

func respond(files: [(String, String)], error: String?) -> [UInt8] {
    let arena = CArena()
    let response = arena.allocate(Google__Protobuf__Compiler__CodeGeneratorResponse.self)
    google__protobuf__compiler__code_generator_response__init(response)
    if let error { response.pointee.error = arena.cString(error) }
    response.pointee.n_file = files.count
    response.pointee.file = arena.pointerArray(files) { name, content in
        let file = arena.allocate(Google__Protobuf__Compiler__CodeGeneratorResponse__File.self)
        google__protobuf__compiler__code_generator_response__file__init(file)
        file.pointee.name = arena.cString(name)
        file.pointee.content = arena.cString(content)
        return file
    }
    return withExtendedLifetime(arena) {
        ProtobufC.encode(ProtobufC.base(response)) { size, encode in
            [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                encode(UnsafeMutableRawBufferPointer(buffer))
                count = size
            }
        }
    }
}

let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
guard let request = input.withUnsafeBufferPointer({
    google__protobuf__compiler__code_generator_request__unpack(nil, $0.count, $0.baseAddress)
}) else {
    FileHandle.standardError.write("protoc-gen-qswift: cannot decode the CodeGeneratorRequest\n".data(using: .utf8)!)
    exit(1)
}
defer { google__protobuf__compiler__code_generator_request__free_unpacked(request, nil) }

let output: [UInt8]
do {
    output = respond(files: try generate(request), error: nil)
} catch let failure as PluginFailure {
    output = respond(files: [], error: failure.message)
}
FileHandle.standardOutput.write(Data(output))
