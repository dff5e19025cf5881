import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// Each resource's table and the query columns derived from it (see `CustomerSchema`).
enum Tables {
    static let customers = ResourceTable<Customer>(name: "customers", kind: "customer") { customer in
        [
            ("display_name", .text(customer.displayName)),
            ("name_folded", .text(customer.displayName.lowercased())),
            ("emails", .text(ColumnEncoding.delimitedList((customer.contact?.emails ?? []).map { $0.address.lowercased() }))),
            ("kind", .integer(Int64(customer.kind.rawValue))),
            ("status", .integer(Int64(customer.status.rawValue))),
            ("relationship_mask", .integer(ColumnEncoding.bitmask(customer.relationshipScopes))),
            ("create_ms", .integer(customer.createTime?.milliseconds ?? 0)),
        ]
    }

    static let premises = ResourceTable<Premise>(name: "premises", kind: "premise") { premise in
        [
            ("postal_code", .text(premise.address?.postalCode ?? "")),
            ("administrative_area", .text(premise.address?.administrativeArea ?? "")),
            ("service_mask", .integer(ColumnEncoding.bitmask(premise.serviceTypes))),
        ]
    }

    static let accounts = ResourceTable<CustomerAccount>(name: "accounts", kind: "account") { account in
        [
            ("customer_id", .text(account.customerID)),
            ("premise_id", .text(account.premiseID)),
            ("regulatory_scope", .integer(Int64(account.regulatoryScope.rawValue))),
            ("status", .integer(Int64(account.status.rawValue))),
            ("open_ms", .integer(account.openTime?.milliseconds ?? 0)),
            ("close_ms", account.closeTime.map { .integer($0.milliseconds) } ?? .null),
        ]
    }

    static let products = ResourceTable<Product>(name: "products", kind: "product") { product in
        [
            ("regulatory_scope", .integer(Int64(product.regulatoryScope.rawValue))),
            ("category", .integer(Int64(product.category.rawValue))),
            ("status", .integer(Int64(product.status.rawValue))),
            ("commodity", .integer(Int64(product.commodity.rawValue))),
        ]
    }

    static let agreements = ResourceTable<ServiceAgreement>(name: "agreements", kind: "agreement") { agreement in
        [
            ("account_id", .text(agreement.accountID)),
            ("product_id", .text(agreement.productID)),
            ("status", .integer(Int64(agreement.status.rawValue))),
        ]
    }

    static let interactions = ResourceTable<Interaction>(name: "interactions", kind: "interaction") { interaction in
        [
            ("customer_id", .text(interaction.customerID)),
            ("account_id", .text(interaction.accountID)),
            ("channel", .integer(Int64(interaction.channel.rawValue))),
            ("time_ms", .integer(interaction.interactionTime?.milliseconds ?? 0)),
        ]
    }

    static let consents = ResourceTable<Consent>(name: "consents", kind: "consent") { consent in
        [
            ("customer_id", .text(consent.customerID)),
            ("recipient", .integer(Int64(consent.recipientBusinessUnit.rawValue))),
            ("scope_mask", .integer(ColumnEncoding.bitmask(consent.scopes))),
            ("state", .integer(Int64(consent.state.rawValue))),
            ("grant_ms", .integer(consent.grantTime?.milliseconds ?? 0)),
            ("expire_ms", consent.expireTime.map { .integer($0.milliseconds) } ?? .null),
        ]
    }

    static let segments = ResourceTable<MarketSegment>(name: "segments", kind: "segment") { segment in
        [("name_folded", .text(segment.displayName.lowercased()))]
    }

    static let campaigns = ResourceTable<MarketingCampaign>(name: "campaigns", kind: "campaign") { campaign in
        [
            ("segment_id", .text(campaign.segmentID)),
            ("status", .integer(Int64(campaign.status.rawValue))),
        ]
    }

    static let opportunities = ResourceTable<SalesOpportunity>(name: "opportunities", kind: "opportunity") { opportunity in
        let customerID: String
        if case .customerID(let id) = opportunity.party { customerID = id } else { customerID = "" }
        return [
            ("customer_id", .text(customerID)),
            ("product_id", .text(opportunity.productID)),
            ("campaign_id", .text(opportunity.campaignID)),
            ("owner", .text(opportunity.owner)),
            ("stage", .integer(Int64(opportunity.stage.rawValue))),
            ("expected_close", .integer(opportunity.expectedCloseDate?.ordinal ?? 0)),
            ("create_ms", .integer(opportunity.createTime?.milliseconds ?? 0)),
        ]
    }

    static let competitors = ResourceTable<CompetitorProfile>(name: "competitors", kind: "competitor profile") { competitor in
        [
            ("name_folded", .text(competitor.displayName.lowercased())),
            ("markets", .text(ColumnEncoding.delimitedList(competitor.markets))),
        ]
    }

    static let auditRecords = ResourceTable<AuditRecord>(name: "audit_records", kind: "audit record") { record in
        [
            ("record_ms", .integer(record.recordTime?.milliseconds ?? 0)),
            ("subject", .text(record.subject)),
            ("decision", .integer(Int64(record.decision.rawValue))),
            ("caller_business_unit", .integer(Int64(record.callerBusinessUnit.rawValue))),
            ("customer_id", .text(record.customerID)),
            ("resource_id", .text(record.resourceID)),
            ("method", .text(record.method)),
        ]
    }
}
