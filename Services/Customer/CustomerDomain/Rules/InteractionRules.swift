import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// What an interaction record must carry (they are append-only: no update).
public enum InteractionRules {
    public static func forCreate(_ requested: Interaction, id: String, now: Timestamp) throws(DomainError) -> Interaction {
        var interaction = requested
        interaction.interactionID = id
        interaction.createTime = now
        try Check.id(interaction.customerID, prefix: "CUS", "interaction.customer_id")
        try Check.optionalID(interaction.accountID, prefix: "ACC", "interaction.account_id")
        try Check.specified(interaction.channel, "interaction.channel")
        guard let time = interaction.interactionTime else { throw .invalid("interaction.interaction_time is required") }
        try Check.timestamp(time, "interaction.interaction_time")
        try Check.text(interaction.topic, "interaction.topic", max: Check.maxNameLength)
        try Check.text(interaction.summary, "interaction.summary")
        try Check.text(interaction.agent, "interaction.agent", max: Check.maxNameLength)
        try Check.known(interaction.businessUnit, "interaction.business_unit")
        return interaction
    }
}
