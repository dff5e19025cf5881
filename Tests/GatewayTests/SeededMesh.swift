/// The six real processes with `MeshSeed`'s data and authentication off, started on first use
/// and shared by one test class's tests (starting takes a few seconds); `stop` in the class's
/// tear-down. A start that failed is reported, with the processes' logs, to every test.
final class SeededMesh: @unchecked Sendable {
    // @unchecked Sendable: XCTest calls setUp, the tests and the class tear-down one at a time.
    private var mesh: TestMesh?
    private var seed: MeshSeed?
    private var startFailure: String?

    func started() async throws -> (TestMesh, MeshSeed) {
        if mesh == nil && startFailure == nil {
            let mesh = TestMesh()
            do {
                try mesh.start()
                seed = try await MeshSeed.make(mesh: mesh)
                self.mesh = mesh
            } catch {
                startFailure = "\(error)\n\(mesh.logs)"
                mesh.stopAll()
            }
        }
        if let startFailure { throw MeshError("the mesh did not start: \(startFailure)") }
        return (mesh!, seed!)
    }

    func stop() {
        mesh?.stopAll()
        mesh = nil
    }
}
