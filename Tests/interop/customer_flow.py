"""A full customer-service flow driven by the reference gRPC peer (Python grpcio).

Usage: customer_flow.py HOST:PORT
Creates a customer, premise, product, account and agreement; lists with paging; updates with
a field mask; checks NOT_FOUND, INVALID_ARGUMENT, ALREADY_EXISTS and FAILED_PRECONDITION.
Prints "customer flow OK" and exits 0, or fails with an assertion naming the step.
The Python stubs are generated at runtime from proto/ into a temporary directory."""
import os
import sys
import tempfile
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_stubs():
    from grpc_tools import protoc
    import grpc_tools
    out = tempfile.mkdtemp(prefix="qe-customer-pb2-")
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    files = [
        "quantum/type/v1/audit.proto", "quantum/type/v1/calendar.proto", "quantum/type/v1/energy.proto",
        "quantum/type/v1/geo.proto", "quantum/type/v1/money.proto", "quantum/type/v1/scope.proto",
        "quantum/customer/v1/customer.proto", "quantum/customer/v1/market.proto",
        "quantum/customer/v1/customer_service.proto",
    ]
    rc = protoc.main(["protoc", f"-I{ROOT}/proto", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}"] + files)
    if rc != 0:
        raise SystemExit("protoc failed for quantum/customer/v1")
    # Our packages are "quantum.*", which no installed package owns: a plain path insert works.
    sys.path.insert(0, out)
    from quantum.customer.v1 import customer_pb2, market_pb2, customer_service_pb2, customer_service_pb2_grpc
    from quantum.type.v1 import calendar_pb2, energy_pb2, geo_pb2, scope_pb2
    return customer_pb2, customer_service_pb2, customer_service_pb2_grpc, calendar_pb2, energy_pb2, geo_pb2, scope_pb2


def expect_error(code, call, *args, contains=None):
    import grpc
    try:
        call(*args, timeout=10)
    except grpc.RpcError as error:
        assert error.code() == code, f"expected {code}, got {error.code()}: {error.details()}"
        if contains is not None:
            assert contains in error.details(), f"expected {contains!r} in {error.details()!r}"
        return error
    raise AssertionError(f"expected {code}, but the call succeeded")


def main():
    import grpc
    from google.protobuf import field_mask_pb2
    c, s, s_grpc, cal, energy, geo, scope = load_stubs()
    channel = grpc.insecure_channel(sys.argv[1])
    grpc.channel_ready_future(channel).result(timeout=10)
    stub = s_grpc.CustomerServiceStub(channel)

    # Customers: create (idempotent), get, validation.
    customer = c.Customer(
        kind=c.CUSTOMER_KIND_RESIDENTIAL, display_name="Ana Silva",
        contact=c.ContactInfo(
            emails=[c.EmailAddress(address="ana@example.com", primary=True)],
            phones=[c.PhoneNumber(e164_number="+14155550100", kind=c.PHONE_KIND_MOBILE)]))
    request_id = str(uuid.uuid4())
    created = stub.CreateCustomer(s.CreateCustomerRequest(customer=customer, request_id=request_id), timeout=10).customer
    assert created.customer_id.startswith("CUS-"), created.customer_id
    assert created.status == c.CUSTOMER_STATUS_ACTIVE
    again = stub.CreateCustomer(s.CreateCustomerRequest(customer=customer, request_id=request_id), timeout=10).customer
    assert again == created, "same request_id and body must return the same customer"
    other = c.Customer(kind=c.CUSTOMER_KIND_RESIDENTIAL, display_name="Someone Else")
    expect_error(grpc.StatusCode.ALREADY_EXISTS, stub.CreateCustomer,
                 s.CreateCustomerRequest(customer=other, request_id=request_id), contains=request_id)
    bad_email = c.Customer(kind=c.CUSTOMER_KIND_RESIDENTIAL, display_name="X",
                           contact=c.ContactInfo(emails=[c.EmailAddress(address="not-an-email")]))
    expect_error(grpc.StatusCode.INVALID_ARGUMENT, stub.CreateCustomer, s.CreateCustomerRequest(customer=bad_email),
                 contains="emails[0].address")
    fetched = stub.GetCustomer(s.GetCustomerRequest(customer_id=created.customer_id), timeout=10).customer
    assert fetched == created
    missing_id = "CUS-" + "0" * 26
    expect_error(grpc.StatusCode.NOT_FOUND, stub.GetCustomer, s.GetCustomerRequest(customer_id=missing_id), contains=missing_id)

    # Premise, product, account, agreement.
    premise = stub.CreatePremise(s.CreatePremiseRequest(premise=c.Premise(
        display_name="12 Oak St",
        address=geo.PostalAddress(region_code="US", postal_code="94105", administrative_area="CA",
                                  locality="San Francisco", address_lines=["12 Oak St"]),
        service_types=[energy.COMMODITY_ELECTRIC])), timeout=10).premise
    assert premise.premise_id.startswith("PRM-")
    product = stub.CreateProduct(s.CreateProductRequest(product=c.Product(
        display_name="Residential Electric E-1", regulatory_scope=scope.REGULATORY_SCOPE_REGULATED,
        category=c.PRODUCT_CATEGORY_UTILITY_SERVICE, commodity=energy.COMMODITY_ELECTRIC,
        pricing_model=c.PRICING_MODEL_TARIFF, tariff_id="TRF-" + "1" * 26)), timeout=10).product
    charger = stub.CreateProduct(s.CreateProductRequest(product=c.Product(
        display_name="Level 2 Home Charger", regulatory_scope=scope.REGULATORY_SCOPE_NON_REGULATED,
        category=c.PRODUCT_CATEGORY_EV_CHARGER)), timeout=10).product
    account = stub.CreateCustomerAccount(s.CreateCustomerAccountRequest(account=c.CustomerAccount(
        customer_id=created.customer_id, premise_id=premise.premise_id,
        regulatory_scope=scope.REGULATORY_SCOPE_REGULATED, display_name="Home electric", currency_code="USD")),
        timeout=10).account
    assert account.account_id.startswith("ACC-") and account.status == c.ACCOUNT_STATUS_ACTIVE
    expect_error(grpc.StatusCode.FAILED_PRECONDITION, stub.CreateCustomerAccount, s.CreateCustomerAccountRequest(
        account=c.CustomerAccount(customer_id=created.customer_id, premise_id="PRM-" + "0" * 26,
                                  regulatory_scope=scope.REGULATORY_SCOPE_REGULATED)), contains="PRM-" + "0" * 26)
    agreement = stub.CreateServiceAgreement(s.CreateServiceAgreementRequest(agreement=c.ServiceAgreement(
        account_id=account.account_id, product_id=product.product_id,
        start_date=cal.CalendarDate(year=2025, month=1, day=1))), timeout=10).agreement
    assert agreement.status == c.AGREEMENT_STATUS_ACTIVE
    assert agreement.regulatory_scope == scope.REGULATORY_SCOPE_REGULATED
    expect_error(grpc.StatusCode.FAILED_PRECONDITION, stub.CreateServiceAgreement, s.CreateServiceAgreementRequest(
        agreement=c.ServiceAgreement(account_id=account.account_id, product_id=charger.product_id,
                                     start_date=cal.CalendarDate(year=2025, month=1, day=1))), contains="scopes must match")
    with_scopes = stub.GetCustomer(s.GetCustomerRequest(customer_id=created.customer_id), timeout=10).customer
    assert list(with_scopes.relationship_scopes) == [scope.REGULATORY_SCOPE_REGULATED]

    # Paging: five more customers, listed two at a time by name.
    for index in range(5):
        stub.CreateCustomer(s.CreateCustomerRequest(customer=c.Customer(
            kind=c.CUSTOMER_KIND_COMMERCIAL, display_name=f"Paging Co {index}")), timeout=10)
    names, token, pages = [], "", 0
    while True:
        page = stub.ListCustomers(s.ListCustomersRequest(
            filter='display_name:"paging co"', order_by="display_name", page_size=2, page_token=token), timeout=10)
        names += [customer.display_name for customer in page.customers]
        pages += 1
        token = page.next_page_token
        if not token:
            break
    assert names == [f"Paging Co {index}" for index in range(5)], names
    assert pages == 3, pages
    expect_error(grpc.StatusCode.INVALID_ARGUMENT, stub.ListCustomers,
                 s.ListCustomersRequest(filter="kind = RESIDENTIAL", page_token=page_token_of(stub, s)), contains="page_token")
    expect_error(grpc.StatusCode.INVALID_ARGUMENT, stub.ListCustomers, s.ListCustomersRequest(filter="shoe_size = 9"),
                 contains="shoe_size")
    by_email = stub.ListCustomers(s.ListCustomersRequest(filter='email = "ANA@example.com"'), timeout=10).customers
    assert [customer.customer_id for customer in by_email] == [created.customer_id]

    # Update with a mask; without one it is refused.
    patch = c.Customer(customer_id=created.customer_id, display_name="Ana M. Silva", given_name="ignored")
    updated = stub.UpdateCustomer(s.UpdateCustomerRequest(
        customer=patch, update_mask=field_mask_pb2.FieldMask(paths=["display_name"])), timeout=10).customer
    assert updated.display_name == "Ana M. Silva" and updated.given_name == "" and updated.contact == created.contact
    expect_error(grpc.StatusCode.INVALID_ARGUMENT, stub.UpdateCustomer, s.UpdateCustomerRequest(customer=patch),
                 contains="update_mask")
    expect_error(grpc.StatusCode.INVALID_ARGUMENT, stub.UpdateCustomer, s.UpdateCustomerRequest(
        customer=patch, update_mask=field_mask_pb2.FieldMask(paths=["create_time"])), contains="output only")

    # Close the account: it takes no new agreements.
    closed = stub.CloseCustomerAccount(s.CloseCustomerAccountRequest(account_id=account.account_id, reason="move-out"),
                                       timeout=10).account
    assert closed.status == c.ACCOUNT_STATUS_CLOSED and closed.close_reason == "move-out"
    expect_error(grpc.StatusCode.FAILED_PRECONDITION, stub.CreateServiceAgreement, s.CreateServiceAgreementRequest(
        agreement=c.ServiceAgreement(account_id=account.account_id, product_id=product.product_id,
                                     start_date=cal.CalendarDate(year=2025, month=6, day=1))), contains="closed")
    agreements = stub.ListServiceAgreements(s.ListServiceAgreementsRequest(account_id=account.account_id), timeout=10)
    assert [a.agreement_id for a in agreements.agreements] == [agreement.agreement_id]
    print("customer flow OK")


def page_token_of(stub, s):
    """A valid token for a different query (name order), to show tokens are bound to their query."""
    return stub.ListCustomers(s.ListCustomersRequest(order_by="display_name", page_size=1), timeout=10).next_page_token


if __name__ == "__main__":
    main()
