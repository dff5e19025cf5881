"""Seeds the mesh for the gateway benchmark through the services' own gRPC APIs and writes the
pre-encoded request bodies h2load sends: GetCustomerOverview for one customer, and every
single downstream call the gateway makes for that overview, with the same arguments.

Per customer: a customer, a premise, a REGULATED account, an agreement on the shared tariff
product, an interaction, a meter point with DAYS days of readings every INTERVAL seconds (default
7 days hourly; 30 days of 15-minute reads is what a smart meter sends and what the overview's
default 30-day window then covers), a charge and a payment. One open outage records the measured
customer's premise.

Usage: seed.py PORTS_JSON N BODIES_DIR [INTERVAL_SECONDS DAYS]   (PORTS_JSON: {"customer": 29461, ...})
Prints one JSON line: {"customer_id": ..., "bodies": {label: [path, service, method, min_bytes]}}.
"""
import glob
import json
import os
import struct
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_stubs():
    from grpc_tools import protoc
    import grpc_tools
    out = tempfile.mkdtemp(prefix="qe-gateway-pb2-")
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    files = sorted(os.path.relpath(p, f"{ROOT}/proto") for p in glob.glob(f"{ROOT}/proto/quantum/*/v1/*.proto")
                   if "/testing/" not in p)
    rc = protoc.main(["protoc", f"-I{ROOT}/proto", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}"] + files)
    if rc != 0:
        raise SystemExit("protoc failed for proto/quantum")
    sys.path.insert(0, out)


def frame(message):
    payload = message.SerializeToString()
    return b"\x00" + struct.pack(">I", len(payload)) + payload


def main():
    ports, count, bodies = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    interval, days = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (3600, 7)
    load_stubs()
    import grpc
    from google.protobuf import duration_pb2, timestamp_pb2
    from quantum.customer.v1 import customer_pb2, customer_service_pb2 as cs, customer_service_pb2_grpc as csg
    from quantum.metering.v1 import metering_pb2, metering_service_pb2 as ms, metering_service_pb2_grpc as msg
    from quantum.outage.v1 import outage_pb2, outage_service_pb2 as os_, outage_service_pb2_grpc as osg
    from quantum.finance.v1 import ledger_pb2, tariff_pb2, finance_service_pb2 as fs, finance_service_pb2_grpc as fsg
    from quantum.gateway.v1 import gateway_service_pb2 as gs, gateway_service_pb2_grpc as gsg
    from quantum.type.v1 import calendar_pb2, energy_pb2, geo_pb2, money_pb2, scope_pb2

    def channel(name):
        return grpc.insecure_channel(f"127.0.0.1:{ports[name]}")
    customers = csg.CustomerServiceStub(channel("customer"))
    metering = msg.MeteringServiceStub(channel("metering"))
    outages = osg.OutageServiceStub(channel("outage"))
    finance = fsg.FinanceServiceStub(channel("finance"))
    gateway = gsg.GatewayServiceStub(channel("gateway"))

    now = int(time.time())
    def ts(seconds):
        return timestamp_pb2.Timestamp(seconds=seconds)
    usd = lambda minor: money_pb2.Money(currency_code="USD", minor_units=minor)
    kwh = lambda milli: energy_pb2.EnergyQuantity(milli_value=milli, unit=energy_pb2.ENERGY_UNIT_KWH)
    REG = scope_pb2.REGULATORY_SCOPE_REGULATED
    ELECTRIC = 1  # quantum.type.v1.Commodity ELECTRIC

    tariff = finance.CreateTariff(fs.CreateTariffRequest(tariff=tariff_pb2.Tariff(
        display_name="E-1 Residential", commodity=ELECTRIC, currency_code="USD", time_zone="UTC",
        effective_dates=calendar_pb2.DateRange(start_date=calendar_pb2.CalendarDate(year=2025, month=1, day=1)),
        approval_reference="CPUC D.24-12-015", jurisdiction="US-CA", regulatory_scope=REG, fixed_monthly_charge=usd(1000),
        unit=energy_pb2.ENERGY_UNIT_KWH,
        flat_rate=tariff_pb2.FlatRate(price=energy_pb2.EnergyPrice(currency_code="USD", micro_minor_units=25_000_000,
                                                                 unit=energy_pb2.ENERGY_UNIT_KWH))))).tariff
    product = customers.CreateProduct(cs.CreateProductRequest(product=customer_pb2.Product(
        display_name="Residential Electric E-1", regulatory_scope=REG, category=customer_pb2.PRODUCT_CATEGORY_UTILITY_SERVICE,
        commodity=ELECTRIC, pricing_model=customer_pb2.PRICING_MODEL_TARIFF, tariff_id=tariff.tariff_id))).product

    last_interval = (now // interval) * interval - interval
    target = None
    meter_batch = []
    for index in range(count):
        customer = customers.CreateCustomer(cs.CreateCustomerRequest(customer=customer_pb2.Customer(
            display_name=f"Customer {index}", kind=customer_pb2.CUSTOMER_KIND_RESIDENTIAL,
            contact=customer_pb2.ContactInfo(emails=[customer_pb2.EmailAddress(address=f"c{index}@example.com", primary=True)])))).customer
        premise = customers.CreatePremise(cs.CreatePremiseRequest(premise=customer_pb2.Premise(
            display_name=f"{index} Oak St", service_types=[ELECTRIC], time_zone="UTC",
            address=geo_pb2.PostalAddress(
                region_code="US", postal_code="94105", administrative_area="CA", locality="San Francisco",
                address_lines=[f"{index} Oak St"])))).premise
        account = customers.CreateCustomerAccount(cs.CreateCustomerAccountRequest(account=customer_pb2.CustomerAccount(
            customer_id=customer.customer_id, premise_id=premise.premise_id, regulatory_scope=REG, display_name="Home electric",
            currency_code="USD"))).account
        customers.CreateServiceAgreement(cs.CreateServiceAgreementRequest(agreement=customer_pb2.ServiceAgreement(
            account_id=account.account_id, product_id=product.product_id,
            start_date=calendar_pb2.CalendarDate(year=2025, month=1, day=1))))
        customers.CreateInteraction(cs.CreateInteractionRequest(interaction=customer_pb2.Interaction(
            customer_id=customer.customer_id, channel=customer_pb2.INTERACTION_CHANNEL_CALL, interaction_time=ts(now - 3600),
            topic="billing question")))
        meter = metering.CreateMeterPoint(ms.CreateMeterPointRequest(meter_point=metering_pb2.MeterPoint(
            premise_id=premise.premise_id, commodity=ELECTRIC, unit=energy_pb2.ENERGY_UNIT_KWH,
            interval_length=duration_pb2.Duration(seconds=interval), purpose=metering_pb2.METER_POINT_PURPOSE_REVENUE,
            regulatory_scope=REG, time_zone="UTC", install_time=ts(now - 400 * 86400)))).meter_point
        meter_batch += [metering_pb2.MeterReading(
            meter_point_id=meter.meter_point_id, interval_start=ts(last_interval - step * interval), kind=metering_pb2.READING_KIND_INTERVAL,
            channel=metering_pb2.READING_CHANNEL_DELIVERED, value=kwh(1000 * interval // 3600), quality=metering_pb2.READING_QUALITY_ACTUAL)
            for step in range(days * 86400 // interval)]
        if len(meter_batch) >= 10000 or index == count - 1:
            batch, meter_batch = meter_batch, []
            summary = metering.IngestReadings(iter([ms.IngestReadingsRequest(readings=batch)])).summary
            if summary.accepted_count != len(batch):
                raise SystemExit(f"readings rejected: {summary}")
        for kind, minor, ago, tag in [(ledger_pb2.TRANSACTION_TYPE_CHARGE, 5000, 7200, "c"), (ledger_pb2.TRANSACTION_TYPE_PAYMENT, -2000, 3600, "p")]:
            finance.PostTransaction(fs.PostTransactionRequest(request_id=f"seed-{tag}-{index}", transaction=ledger_pb2.FinancialTransaction(
                account_id=account.account_id, transaction_type=kind, amount=usd(minor), regulatory_scope=REG, effective_time=ts(now - ago))))
        if index == count // 2:
            target = (customer, premise, account, meter)
    customer, premise, account, meter = target
    outages.ReportOutage(os_.ReportOutageRequest(outage=outage_pb2.OutageEvent(
        commodity=ELECTRIC, affected_premise_ids=[premise.premise_id], customers_affected=1, start_time=ts(now - 1800),
        reported_by="AMI last-gasp")))

    # The overview, checked complete once, and each single call it makes, with the gateway's arguments.
    overview_request = gs.GetCustomerOverviewRequest(customer_id=customer.customer_id)
    overview = gateway.GetCustomerOverview(overview_request, timeout=10).overview
    states = [overview.customer_status.state, overview.accounts_status.state, overview.premises_status.state,
              overview.interactions_status.state] + [p.meter_points_status.state for p in overview.premises] + [
              m.consumption_status.state for p in overview.premises for m in p.meter_points]
    if any(state != 1 for state in states) or not overview.premises or not overview.premises[0].meter_points:
        raise SystemExit(f"the seeded overview is not complete: {overview}")
    window_end = now
    window = calendar_pb2.TimeRange(start_time=ts(window_end - 30 * 86400), end_time=ts(window_end))
    singles = {
        "customer.GetCustomerSummary": (customers.GetCustomerSummary, cs.GetCustomerSummaryRequest(
            customer_id=customer.customer_id, interaction_limit=10)),
        "metering.BatchGetConsumptionProfiles": (metering.BatchGetConsumptionProfiles, ms.BatchGetConsumptionProfilesRequest(
            premise_ids=[premise.premise_id], bucket_size=metering_pb2.BUCKET_SIZE_DAY, time_range=window)),
        "outage.ListOutages": (outages.ListOutages, os_.ListOutagesRequest(open_only=True, premise_ids=[premise.premise_id], page_size=1000)),
        "finance.BatchGetAccountActivity": (finance.BatchGetAccountActivity, fs.BatchGetAccountActivityRequest(
            account_ids=[account.account_id], recent_transaction_limit=10)),
    }
    os.makedirs(bodies, exist_ok=True)
    out = {}
    def write(label, service, method, request, response):
        path = os.path.join(bodies, label + ".bin")
        with open(path, "wb") as f:
            f.write(frame(request))
        out[label] = [path, service, method, len(response.SerializeToString())]
    write("gateway.GetCustomerOverview", "gateway", "/quantum.gateway.v1.GatewayService/GetCustomerOverview", overview_request,
          gs.GetCustomerOverviewResponse(overview=overview))
    services = {"customer": "quantum.customer.v1.CustomerService", "metering": "quantum.metering.v1.MeteringService",
                "outage": "quantum.outage.v1.OutageService", "finance": "quantum.finance.v1.FinanceService"}
    for label, (stub, request) in singles.items():
        response = stub(request, timeout=10)  # raises on any non-OK status
        service, method = label.split(".")
        write(label, service, f"/{services[service]}/{method}", request, response)
    print(json.dumps({"customer_id": customer.customer_id, "bodies": out}))


if __name__ == "__main__":
    main()
