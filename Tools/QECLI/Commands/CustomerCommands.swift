import ArgumentParser
import CustomerAPI
import ProtoRuntime

// customer-service: customers, accounts, premises, consents.

private typealias J = RequestJSON

public struct CustomerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "customer", abstract: "Customers (customer-service).",
        subcommands: [Get.self, List.self, Create.self])
    public init() {}

    static let columns = [
        Column("ID", "customerId"), Column("KIND", "kind"), Column("NAME", "displayName"),
        Column("STATUS", "status"), Column("CREATED", "createTime"),
    ]

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one customer.")
        @Argument(help: "Customer id (CUS-…).") var customerID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.getCustomer, GetCustomerRequest.self, J.object([("customerId", .string(customerID))]),
                GetCustomerResponse.self, view: .record("customer"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists customers, filtered and paged.")
        @Option(help: "Filter, e.g. kind = RESIDENTIAL, display_name : \"Ada\".") var filter: String?
        @Option(help: "Order, e.g. display_name desc.") var orderBy: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.listCustomers, ListCustomersRequest.self,
                J.object([("filter", J.string(filter)), ("orderBy", J.string(orderBy))] + page.members),
                ListCustomersResponse.self, view: .table("customers", CustomerCommand.columns))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Creates a customer.")
        @Option(help: "Display name.") var name: String
        @Option(help: "residential, commercial or industrial.") var kind: String
        @Option(help: "Given name (people).") var givenName: String?
        @Option(help: "Family name (people).") var familyName: String?
        @Option(help: "Organization name (businesses).") var organization: String?
        @Option(help: "E-mail address; repeatable, the first is primary.") var email: [String] = []
        @Option(help: "Phone number in E.164 (+15551234567); repeatable, the first is primary.") var phone: [String] = []
        @Option(help: "Idempotency key: retrying with the same key creates one customer.") var requestID: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let emails = email.enumerated().map { index, address in
                J.object([("address", .string(address)), ("primary", J.bool(index == 0))])
            }
            let phones = phone.enumerated().map { index, number in
                J.object([("e164Number", .string(number)), ("primary", J.bool(index == 0))])
            }
            let contact: JSONValue? = emails.isEmpty && phones.isEmpty ? nil
                : J.object([("emails", emails.isEmpty ? nil : .array(emails)), ("phones", phones.isEmpty ? nil : .array(phones))])
            let customer = J.object([
                ("kind", J.enumName("CUSTOMER_KIND", kind)), ("displayName", .string(name)),
                ("givenName", J.string(givenName)), ("familyName", J.string(familyName)),
                ("organizationName", J.string(organization)), ("contact", contact),
            ])
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.createCustomer, CreateCustomerRequest.self,
                J.object([("customer", customer), ("requestId", J.string(requestID))]),
                CreateCustomerResponse.self, view: .record("customer"))
        }
    }
}

public struct AccountCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Customer accounts, regulated and non-regulated (customer-service).",
        subcommands: [Get.self, List.self, Create.self])
    public init() {}

    static let columns = [
        Column("ID", "accountId"), Column("CUSTOMER", "customerId"), Column("PREMISE", "premiseId"),
        Column("SCOPE", "regulatoryScope"), Column("STATUS", "status"), Column("CURRENCY", "currencyCode"),
        Column("NAME", "displayName"),
    ]

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one account.")
        @Argument(help: "Account id (ACC-…).") var accountID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.getCustomerAccount, GetCustomerAccountRequest.self,
                J.object([("accountId", .string(accountID))]), GetCustomerAccountResponse.self, view: .record("account"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists a customer's accounts (or the accounts at premises).")
        @Option(help: "Customer id (CUS-…).") var customer: String?
        @Option(help: "Premise id (PRM-…); repeatable.") var premise: [String] = []
        @Option(help: "Filter, e.g. regulatory_scope = REGULATED.") var filter: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.listCustomerAccounts, ListCustomerAccountsRequest.self,
                J.object([("customerId", J.string(customer)), ("premiseIds", J.strings(premise)), ("filter", J.string(filter))] + page.members),
                ListCustomerAccountsResponse.self, view: .table("accounts", AccountCommand.columns))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Opens an account for a customer at a premise.")
        @Option(help: "Customer id (CUS-…).") var customer: String
        @Option(help: "Premise id (PRM-…).") var premise: String
        @Option(help: "regulated or non_regulated.") var scope: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "ISO-4217 currency.") var currency = "USD"
        @Option(help: "Idempotency key.") var requestID: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let account = J.object([
                ("customerId", .string(customer)), ("premiseId", .string(premise)),
                ("regulatoryScope", J.enumName("REGULATORY_SCOPE", scope)), ("displayName", J.string(name)),
                ("currencyCode", .string(currency)),
            ])
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.createCustomerAccount, CreateCustomerAccountRequest.self,
                J.object([("account", account), ("requestId", J.string(requestID))]),
                CreateCustomerAccountResponse.self, view: .record("account"))
        }
    }
}

public struct PremiseCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "premise", abstract: "Premises: service addresses with a location (customer-service).",
        subcommands: [Get.self, List.self, Create.self])
    public init() {}

    static let columns = [
        Column("ID", "premiseId"), Column("NAME", "displayName"), Column("LOCALITY", "address.locality"),
        Column("SERVICES", "serviceTypes"), Column("TIME ZONE", "timeZone"), Column("SERVICE POINT", "servicePointAssetId"),
    ]

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one premise.")
        @Argument(help: "Premise id (PRM-…).") var premiseID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.getPremise, GetPremiseRequest.self, J.object([("premiseId", .string(premiseID))]),
                GetPremiseResponse.self, view: .record("premise"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists premises (of a customer).")
        @Option(help: "Customer id (CUS-…).") var customer: String?
        @Option(help: "Filter.") var filter: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.listPremises, ListPremisesRequest.self,
                J.object([("customerId", J.string(customer)), ("filter", J.string(filter))] + page.members),
                ListPremisesResponse.self, view: .table("premises", PremiseCommand.columns))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Creates a premise.")
        @Option(help: "Display name.") var name: String
        @Option(help: "Street address line; repeatable.") var line: [String] = []
        @Option(help: "City.") var locality: String?
        @Option(help: "State / province.") var area: String?
        @Option(help: "Postal code.") var postalCode: String?
        @Option(help: "CLDR region code, e.g. US.") var region = "US"
        @Option(help: "Latitude in degrees.") var lat: String?
        @Option(help: "Longitude in degrees.") var lon: String?
        @Option(help: "IANA time zone.") var timeZone = "America/Los_Angeles"
        @Option(help: "electric or gas; repeatable.") var service: [String] = ["electric"]
        @Option(help: "Service point asset id (AST-…).") var servicePoint: String?
        @Option(help: "Idempotency key.") var requestID: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let address = J.object([
                ("regionCode", .string(region)), ("postalCode", J.string(postalCode)), ("administrativeArea", J.string(area)),
                ("locality", J.string(locality)), ("addressLines", J.strings(line)),
            ])
            var location: JSONValue?
            if let lat, let lon {
                location = J.object([
                    ("latitudeE7", J.int(Int(try J.fixedPoint(lat, scale: 7, flag: "--lat")))),
                    ("longitudeE7", J.int(Int(try J.fixedPoint(lon, scale: 7, flag: "--lon")))),
                ])
            }
            let premise = J.object([
                ("displayName", .string(name)), ("address", address), ("location", location),
                ("serviceTypes", .array(service.compactMap { J.enumName("COMMODITY", $0) })), ("timeZone", .string(timeZone)),
                ("servicePointAssetId", J.string(servicePoint)),
            ])
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.createPremise, CreatePremiseRequest.self,
                J.object([("premise", premise), ("requestId", J.string(requestID))]),
                CreatePremiseResponse.self, view: .record("premise"))
        }
    }
}

public struct ConsentCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "A customer's consents to share data across business units (customer-service).",
        subcommands: [Grant.self, Revoke.self, List.self])
    public init() {}

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Records a consent.")
        @Option(help: "Customer id (CUS-…).") var customer: String
        @Option(help: "Business unit receiving the data: regulated, non_regulated or corporate.") var recipient: String
        @Option(help: "contact_details, account_and_billing, usage_data or interactions; repeatable.") var scope: [String]
        @Option(help: "online, phone, paper_form or in_person.") var source = "online"
        @Option(help: "Reference of the source (form number, call id).") var reference: String?
        @Option(help: "Expiry (2027-01-01 or RFC 3339).") var expires: String?
        @Option(help: "Idempotency key.") var requestID: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let consent = J.object([
                ("customerId", .string(customer)), ("recipientBusinessUnit", J.enumName("BUSINESS_UNIT", recipient)),
                ("scopes", .array(scope.compactMap { J.enumName("CONSENT_SCOPE", $0) })),
                ("source", J.enumName("CONSENT_SOURCE", source)), ("sourceReference", J.string(reference)),
                ("expireTime", try expires.map { try J.timestamp($0, flag: "--expires") }),
            ])
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.grantConsent, GrantConsentRequest.self,
                J.object([("consent", consent), ("requestId", J.string(requestID))]),
                GrantConsentResponse.self, view: .record("consent"))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revokes a consent.")
        @Argument(help: "Consent id.") var consentID: String
        @Option(help: "Why.") var reason: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.revokeConsent, RevokeConsentRequest.self,
                J.object([("consentId", .string(consentID)), ("reason", J.string(reason))]),
                RevokeConsentResponse.self, view: .record("consent"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists a customer's consents.")
        @Option(help: "Customer id (CUS-…).") var customer: String
        @Flag(help: "Include revoked and expired consents.") var all = false
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .customer).unary(
                CustomerServiceMethods.listConsents, ListConsentsRequest.self,
                J.object([("customerId", .string(customer)), ("includeInactive", J.bool(all))] + page.members),
                ListConsentsResponse.self,
                view: .table("consents", [
                    Column("ID", "consentId"), Column("RECIPIENT", "recipientBusinessUnit"), Column("SCOPES", "scopes"),
                    Column("STATE", "state"), Column("SOURCE", "source"), Column("GRANTED", "grantTime"),
                ]))
        }
    }
}
