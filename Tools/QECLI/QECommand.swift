import ArgumentParser
import Foundation

/// `qe`: the Quantum Energy mesh from the command line.
public struct QECommand: AsyncParsableCommand {
    /// Every top-level command; add new ones here (one file per domain under Commands/).
    public static let commands: [any ParsableCommand.Type] = [
        CustomerCommand.self, AccountCommand.self, PremiseCommand.self, ConsentCommand.self,
        MeterCommand.self, ReadingsCommand.self,
        AssetCommand.self,
        OutageCommand.self, WorkOrderCommand.self,
        FinanceCommand.self, BillCommand.self,
        OverviewCommand.self, ImpactCommand.self, BillAccountCommand.self, ReliabilityCommand.self,
        HealthCommand.self, MeshCommand.self, TokenCommand.self,
    ]

    public static let configuration = CommandConfiguration(
        commandName: "qe",
        abstract: "Calls the Quantum Energy mesh: reads and writes per domain, the gateway's cross-domain queries, health, and the local mesh runner.",
        discussion: """
            Every call command takes --addr, --deadline, -H key=value, --token and --json. Addresses default to \
            the local mesh (gateway 127.0.0.1:50060, customer :50061, metering :50062, asset :50063, outage :50064, \
            finance :50065); QE_<SERVICE>_ADDR, then QE_ADDR, override them.

            Errors print `error: <STATUS> (<code>): <message>` and exit 1; usage errors exit 2.
            """,
        subcommands: commands)

    public init() {}
}

/// Runs `qe` and exits: 0 on success, 1 for a failed call, 2 for bad usage.
public enum QEMain {
    public static func main(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try QECommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            exit(report(error))
        }
    }

    /// Prints `error` for a person and returns the exit status.
    public static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as RPCFailure:
            Console.err(error.description)
            return 1
        case let error as CommandFailure:
            Console.err("error: \(error.message)")
            return error.exitStatus
        case let error as ExitCode:
            return error.rawValue
        case let error as ValidationError:
            // Thrown while running (a flag's value turned out bad): the message says which.
            Console.err("error: \(error.message)")
            return 2
        default:
            if let rpc = RPCFailure.from(error) {
                Console.err(rpc.description)
                return 1
            }
            let code = QECommand.exitCode(for: error)
            let message = QECommand.fullMessage(for: error)
            if code == .success {
                Console.out(message)
                return 0
            }
            if !message.isEmpty { Console.err(message) }
            // Anything ArgumentParser reports (unknown flag, bad value, ValidationError) is usage.
            return code == .validationFailure ? 2 : code.rawValue
        }
    }
}
