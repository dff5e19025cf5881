import ArgumentParser
import ProtoRuntime

/// `--page-size` and `--page-token` for list commands (AIP-158 paging).
public struct PageOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("Items per page (the service caps it).", valueName: "n"))
    public var pageSize: Int?

    @Option(help: ArgumentHelp("Continue from a previous page's token.", valueName: "token"))
    public var pageToken: String?

    public init() {}

    public var members: [RequestJSON.Member] {
        [("pageSize", RequestJSON.int(pageSize)), ("pageToken", RequestJSON.string(pageToken))]
    }
}
