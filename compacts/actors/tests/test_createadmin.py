"""``uv run compacts createadmin``: the first administrator of an installation."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from compacts.core.models import AuditRecord

pytestmark = pytest.mark.django_db

STRONG = "Correct-horse-battery-staple-42"


def _run(monkeypatch, *, username="admin", password=STRONG, again=None, email="admin@example.org"):
    """Run the command with the password typed twice at the prompt."""
    answers = iter([password, password if again is None else again])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    out = io.StringIO()
    call_command("createadmin", username=username, email=email, stdout=out)
    return out.getvalue()


def test_creates_a_superuser_and_audits_it(monkeypatch):
    output = _run(monkeypatch)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.is_staff
    assert user.is_active
    assert user.check_password(STRONG)
    assert user.email == "admin@example.org"
    assert "Administrator admin created." in output
    record = AuditRecord.objects.get(action="core.administrator.create")
    assert record.after["is_superuser"] is True
    assert STRONG not in str(record.after)


def test_reads_the_password_from_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    call_command("createadmin", username="robot", password_stdin=True, stdout=io.StringIO())
    assert get_user_model().objects.get(username="robot").check_password(STRONG)


@pytest.mark.parametrize(
    ("username", "password", "fragment"),
    [
        ("admin", "short", "too short"),
        ("admin", "password123", "too common"),
        ("admin", "83920174650183", "entirely numeric"),
        ("administrator", "administrator1", "too similar"),
    ],
)
def test_weak_passwords_are_refused_and_nothing_is_created(
    monkeypatch, username, password, fragment
):
    with pytest.raises(CommandError) as caught:
        _run(monkeypatch, username=username, password=password)
    message = str(caught.value)
    assert "The password was refused." in message
    assert fragment in message
    assert not get_user_model().objects.exists()
    assert not AuditRecord.objects.exists()


def test_duplicate_username_is_refused_with_a_clear_message(monkeypatch):
    _run(monkeypatch)
    with pytest.raises(CommandError) as caught:
        _run(monkeypatch, email="other@example.org")
    assert "The username admin is taken." in str(caught.value)
    assert get_user_model().objects.count() == 1
    assert AuditRecord.objects.count() == 1


def test_different_passwords_are_refused(monkeypatch):
    with pytest.raises(CommandError) as caught:
        _run(monkeypatch, again=STRONG + "x")
    assert "The two passwords differ." in str(caught.value)
    assert not get_user_model().objects.exists()


def test_empty_username_is_refused(monkeypatch):
    with pytest.raises(CommandError) as caught:
        _run(monkeypatch, username="   ")
    assert "A username is required." in str(caught.value)
    assert not get_user_model().objects.exists()
