/// Builds the whole ``DemoPlan`` from the parameters: a pure function (no I/O, no clock).
public enum DemoPlanner {
    public static func plan(_ parameters: DemoParameters) -> DemoPlan {
        var plan = DemoPlan(parameters: parameters)
        plan.tariffs = CatalogPlanner.tariffs()
        plan.products = CatalogPlanner.products()
        let backbone = GridPlanner.backbone(premises: parameters.customers, into: &plan)
        PopulationPlanner(transformers: backbone.transformers).populate(&plan)
        plan.tour = tour(of: plan)
        OperationsPlanner(backbone: backbone).plan(&plan)
        BillingPlanner().plan(&plan)
        return plan
    }

    private static func tour(of plan: DemoPlan) -> TourIndices {
        let customer = PopulationPlanner.tourCustomer
        var tour = TourIndices()
        tour.customer = customer
        tour.commercialCustomer = PopulationPlanner.tourBusiness
        tour.premise = plan.premises.firstIndex { $0.customer == customer } ?? 0
        tour.account = plan.accounts.firstIndex { $0.customer == customer && $0.account.regulatoryScope == .regulated } ?? 0
        tour.meterPoint = plan.meterPoints.firstIndex { $0.premise == tour.premise } ?? 0
        return tour
    }
}
