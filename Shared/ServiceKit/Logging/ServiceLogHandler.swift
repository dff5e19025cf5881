import Foundation
import Logging

/// The swift-log handler of every service: one line per record, JSON or text.
public struct ServiceLogHandler: LogHandler {
    public enum Format: Sendable { case json, text }

    public let label: String
    public let format: Format
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let output: LogOutput

    public init(
        label: String, format: Format, level: Logger.Level, output: LogOutput = .standardOutput,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Precedence: the logger's metadata, then the provider's (task-local context), then
        // the call's own.
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let now = Date()
        let line = switch format {
        case .json:
            LogLineFormatter.json(
                time: now, level: event.level, label: label, message: event.message.description, metadata: merged,
                error: event.error)
        case .text:
            LogLineFormatter.text(
                time: now, level: event.level, label: label, message: event.message.description, metadata: merged,
                error: event.error)
        }
        output.write(line)
    }
}

/// Installs ``ServiceLogHandler`` as the process's log handler.
public enum ServiceLogging {
    /// Call once, first thing in `main`: swift-log allows one bootstrap per process.
    public static func bootstrap(configuration: ServiceConfiguration, output: LogOutput = .standardOutput) {
        let format: ServiceLogHandler.Format = configuration.logFormat == .text ? .text : .json
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            ServiceLogHandler(label: label, format: format, level: level, output: output)
        }
    }
}
