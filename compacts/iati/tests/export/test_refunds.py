"""Refunds from participating organisations are published as incoming funds (TransactionType 1)
on the fund's activity, from the organisation to the fund, and the file stays valid."""

import datetime
from decimal import Decimal

import pytest

from compacts.iati.services import iati_export
from compacts.iati.validation import validate
from compacts.iati.xml import parse

pytestmark = pytest.mark.django_db


def test_a_refund_is_an_incoming_funds_transaction_from_the_organisation(tmp_path):
    from compacts.fund import services
    from compacts.fund.tests import factories

    the_fund, orgs, _donor, _commitment, allocations = factories.funded("1000.00")
    allocation = allocations[0]
    services.transfer_create(allocation=allocation, amount="400.00",
                             value_date=datetime.date(2025, 3, 20), actor=None,
                             idempotency_key="iati-refund-transfer")  # fmt: skip
    refund = services.refund_record(allocation=allocation, amount="150.00",
                                    value_date=datetime.date(2025, 4, 2), actor=None)  # fmt: skip

    run = iati_export(reason="test", directory=tmp_path / "out")
    assert run.status == "succeeded", run.findings
    assert run.error_count == 0

    tree = parse(tmp_path / "out" / "activities.xml")
    report = validate(tree, kind="activity", purpose="export")
    assert report.errors == [], [str(f.message) for f in report.errors]
    fund = tree.getroot().find("iati-activity")
    refunds = [t for t in fund.iterchildren("transaction")
               if t.get("ref", "").endswith(f"-P{refund.pk}")]  # fmt: skip
    assert len(refunds) == 1
    transaction = refunds[0]
    assert transaction.find("transaction-type").get("code") == "1"
    assert Decimal(transaction.findtext("value")) == Decimal("150.00")
    assert transaction.find("transaction-date").get("iso-date") == "2025-04-02"
    assert transaction.find("provider-org/narrative").text == orgs[0].name
    receiver = transaction.find("receiver-org")
    assert receiver.get("receiver-activity-id") == fund.findtext("iati-identifier")
    # The transfer it partly returns is still published as a disbursement of 400.
    transfers = [t for t in fund.iterchildren("transaction")
                 if t.find("transaction-type").get("code") == "3"]  # fmt: skip
    assert [Decimal(t.findtext("value")) for t in transfers] == [Decimal("400.00")]
    assert the_fund.code in fund.findtext("iati-identifier")
