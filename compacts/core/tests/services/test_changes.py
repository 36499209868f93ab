import pytest
from django.db import transaction

from compacts.core.changes import announce, bump, data_changed, versions, versions_key


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, topic, details, **kwargs):
        calls.append((topic, details))

    data_changed.connect(receiver)
    yield calls
    data_changed.disconnect(receiver)


@pytest.mark.django_db(transaction=True)
def test_announce_raises_the_version_and_signals_after_commit(heard):
    assert versions("fund") == {"fund": 0}
    with transaction.atomic():
        announce("fund", fund_id=7)
        assert versions("fund") == {"fund": 0}
        assert heard == []
    assert versions("fund") == {"fund": 1}
    assert heard == [("fund", {"fund_id": 7})]


@pytest.mark.django_db(transaction=True)
def test_nothing_happens_when_the_transaction_rolls_back(heard):
    def failing_change():
        with transaction.atomic():
            announce("programmes")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_change()
    assert versions("programmes") == {"programmes": 0}
    assert heard == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_does_not_stop_the_others(heard):
    def failing(sender, **kwargs):
        raise ValueError("receiver broke")

    data_changed.connect(failing)
    try:
        with transaction.atomic():
            announce("iati")
    finally:
        data_changed.disconnect(failing)
    assert heard == [("iati", {})]
    assert versions("iati")["iati"] == 1


def test_unknown_topic_is_refused():
    with pytest.raises(ValueError, match="Unknown data topic 'money'"):
        announce("money")


@pytest.mark.django_db
def test_versions_key_changes_with_any_topic():
    before = versions_key("fund", "programmes")
    assert before == "fund:0|programmes:0"
    assert bump("programmes") == 1
    assert bump("programmes") == 2
    assert versions_key("programmes", "fund") == "fund:0|programmes:2"


@pytest.mark.django_db(transaction=True)
def test_a_locked_version_table_never_reaches_the_caller(monkeypatch):
    """After the commit the change is done: a failing version bump is retried, then logged,
    never raised to the service's caller."""
    from django.db import OperationalError, transaction

    from compacts.core import changes

    calls = []

    def locked(topic):
        calls.append(topic)
        raise OperationalError("database table is locked")

    monkeypatch.setattr(changes, "bump", locked)
    monkeypatch.setattr(changes.time, "sleep", lambda _s: None)
    with transaction.atomic():
        changes.announce("fund")
    assert calls == ["fund"] * changes.BUMP_ATTEMPTS
