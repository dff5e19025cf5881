import ProtoRuntime

/// What `qe mesh up` prints once everything is SERVING: a table of the services and a short
/// tour with real ids from the demo data.
public enum MeshSummary {
    public static func servicesTable(layout: MeshLayout, pids: [String: Int32]) -> String {
        var table = TextTable(headers: ["SERVICE", "PROCESS", "GRPC", "ADMIN / METRICS", "PID"])
        for service in MeshService.all {
            let admin = layout.adminURL(service)
            table.add([service.name, service.executable, layout.grpcAddress(service),
                       "\(admin)/metrics  \(admin)/readyz", pids[service.name].map(String.init) ?? "-"])
        }
        return table.render()
    }

    /// `qe` commands to try, with the demo data's sample ids (placeholders when there is none).
    public static func tour(layout: MeshLayout, sampleIDs: [String: String]?, credentials: MeshCredentials? = nil) -> String {
        let ids = sampleIDs ?? [:]
        func id(_ key: String, _ placeholder: String) -> String { ids[key] ?? placeholder }
        let customAddress = layout.grpcPortBase != MeshLayout.defaultGRPCPortBase || layout.host != "127.0.0.1"
        let addr = customAddress ? " --addr \(layout.grpcAddress(.gateway))" : ""
        var lines = ["try these:"]
        if let credentials {
            // Tokens are required: one for the session, and a non-regulated one to see the separation policy.
            let isDefaultKey = credentials.keys.privateKeyPath == DevelopmentTokens.defaultSigningKeyPath(environment: [:])
            let key = isDefaultKey ? "" : " --signing-key \(credentials.keys.privateKeyPath)"
            lines.append("  export QE_TOKEN=$(qe token mint --as corporate\(key))")
            lines.append("  qe overview customer \(id("customer_id", "CUS-…"))\(addr) --token \"$(qe token mint --as non_regulated\(key))\"")
        }
        lines.append("  qe overview customer \(id("customer_id", "CUS-…"))\(addr)")
        lines.append("  qe overview premise \(id("premise_id", "PRM-…"))\(addr)")
        lines.append("  qe impact --outage \(id("outage_id", "OUT-…"))\(addr)")
        let (from, to) = billingPeriod(sampleIDs: ids)
        lines.append("  qe bill-account \(id("account_id", "ACC-…")) --from \(from) --to \(to)\(addr)")
        lines.append("  qe reliability --from \(from)\(addr)")
        lines.append("  qe mesh status          qe --help")
        if sampleIDs == nil { lines.append("  (no demo data: create some with `qe customer create …`, or build demo-seed)") }
        return lines.joined(separator: "\n")
    }

    /// The demo data's reading window as inclusive dates (`period_to` is an exclusive midnight).
    static func billingPeriod(sampleIDs: [String: String]) -> (from: String, to: String) {
        guard let start = sampleIDs["period_from"].flatMap(RFC3339.parse),
              let end = sampleIDs["period_to"].flatMap(RFC3339.parse) else { return ("2026-01-01", "2026-01-31") }
        func day(_ stamp: Timestamp) -> String { String(RFC3339.format(stamp).prefix(10)) }
        return (day(start), day(Timestamp(seconds: end.seconds - 86_400)))
    }
}
