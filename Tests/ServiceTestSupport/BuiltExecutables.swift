import Foundation

/// Our executables, where `swift build --build-tests` leaves them: beside the test bundle.
public enum BuiltExecutables {
    /// The path of the built executable `name`, or nil when it was not built.
    public static func find(_ name: String) -> String? {
        guard let directory = directory(containing: name) else { return nil }
        return directory.appendingPathComponent(name).path
    }

    /// The path of the built executable `name`; throws, naming it, when it was not built.
    public static func require(_ name: String) throws -> String {
        guard let path = find(name) else {
            throw ChildProcessError("\(name) not found next to the test bundle (build with `swift build --build-tests`)")
        }
        return path
    }

    /// The build directory: the nearest ancestor of the running test bundle that holds the
    /// executable `name`. The bundle's own location is the fallback for runners (xcrun xctest)
    /// whose first argument is not the bundle.
    public static func directory(containing name: String) -> URL? {
        let starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()]
            + Bundle.allBundles.filter { $0.bundleURL.pathExtension == "xctest" }.map(\.bundleURL)
        for start in starts {
            var url = start
            while url.path != "/" {
                if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent(name).path) { return url }
                url.deleteLastPathComponent()
            }
        }
        return nil
    }
}
