"""The form page helper (``compacts.core.form_pages``): bind, validate, save through a service,
show a refusal on the form, or say it is done and redirect."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from compacts.core.exceptions import ApplicationError, PermissionDeniedError
from compacts.core.form_pages import forbid_or_show_refusal, form_page, show_refusal
from compacts.core.models import User


class NameForm(forms.Form):
    username = forms.CharField(max_length=20)
    email = forms.EmailField(required=False)


@transaction.atomic
def account_create(*, username: str, email: str) -> User:
    """A stand-in service: it writes, then refuses a name it does not like (the write is undone
    with its transaction, as in every service)."""
    user = User.objects.create(username=username, email=email)
    if username == "taken":
        raise ApplicationError("This name is taken.", {"field": "username"})
    if username == "nobody":
        raise ApplicationError("Nobody may do that.")
    if username == "forbidden":
        raise PermissionDeniedError("You do not have permission to do this.")
    return user


def _request(method: str = "get", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/accounts/new/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


class Page:
    """Calls ``form_page`` the way a view does and keeps what it was given."""

    def __init__(self, request, **options):
        self.form = NameForm(request.POST or None)
        self.saves: list[dict] = []
        self.rendered: list[int] = []

        def save(data):
            self.saves.append(dict(data))
            return account_create(username=data["username"], email=data["email"])

        def render(status):
            self.rendered.append(status)
            return HttpResponse(f"page {status}", status=status)

        self.response = form_page(
            request,
            self.form,
            save=save,
            message=options.pop("message", "The account is saved."),
            success=options.pop("success", "/accounts/"),
            render=render,
            **options,
        )


def _messages(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


class FormPageTests:
    def test_get_renders_the_unbound_form_with_200(self, db):
        request = _request()
        page = Page(request)
        assert page.response.status_code == 200
        assert page.rendered == [200]
        assert not page.form.is_bound
        assert page.saves == []
        assert _messages(request) == []

    def test_valid_post_calls_the_service_says_so_and_redirects(self, db):
        request = _request("post", {"username": "amina", "email": "a@example.org"})
        page = Page(request)
        assert page.saves == [{"username": "amina", "email": "a@example.org"}]
        assert User.objects.filter(username="amina", email="a@example.org").exists()
        assert page.response.status_code == 302
        assert page.response["Location"] == "/accounts/"
        assert page.rendered == []
        assert _messages(request) == ["The account is saved."]

    def test_message_and_success_may_name_what_was_saved(self, db):
        request = _request("post", {"username": "amina"})
        page = Page(
            request,
            message=lambda user: f"Account {user.username} is saved.",
            success=lambda user: HttpResponse(f"saved {user.pk}", status=201),
        )
        user = User.objects.get(username="amina")
        assert page.response.status_code == 201
        assert page.response.content.decode() == f"saved {user.pk}"
        assert _messages(request) == ["Account amina is saved."]

    def test_save_gets_a_copy_of_what_the_form_cleaned(self, db):
        request = _request("post", {"username": "amina"})
        form = NameForm(request.POST)
        form_page(
            request,
            form,
            save=lambda data: data.pop("username"),
            message="Saved.",
            success="/accounts/",
            render=lambda status: HttpResponse(status=status),
        )
        assert form.cleaned_data["username"] == "amina"

    def test_success_may_be_a_url_name(self, db):
        request = _request("post", {"username": "amina"})
        page = Page(request, success="core:audit")
        assert page.response.status_code == 302
        assert page.response["Location"] == "/audit/"

    def test_invalid_form_is_400_and_the_service_is_not_called(self, db):
        request = _request("post", {"username": "", "email": "not an email"})
        page = Page(request)
        assert page.response.status_code == 400
        assert page.rendered == [400]
        assert page.saves == []
        assert set(page.form.errors) == {"username", "email"}
        assert _messages(request) == []
        assert not User.objects.exists()

    def test_refusal_is_400_on_the_named_field_and_nothing_is_saved(self, db):
        request = _request("post", {"username": "taken", "email": "t@example.org"})
        page = Page(request)
        assert page.saves == [{"username": "taken", "email": "t@example.org"}]
        assert page.response.status_code == 400
        assert page.form.errors == {"username": ["This name is taken."]}
        # What was typed stays in the form.
        assert page.form["email"].value() == "t@example.org"
        assert not User.objects.filter(username="taken").exists()
        assert _messages(request) == []

    def test_refusal_naming_no_field_goes_above_the_form(self, db):
        request = _request("post", {"username": "nobody"})
        page = Page(request)
        assert page.response.status_code == 400
        assert page.form.non_field_errors() == ["Nobody may do that."]
        assert not User.objects.exists()

    def test_refusal_hook_decides_what_a_refusal_does(self, db):
        request = _request("post", {"username": "taken"})
        seen = []
        page = Page(request, refused=lambda form, error: seen.append(error.message))
        assert seen == ["This name is taken."]
        assert page.response.status_code == 400
        assert page.form.errors == {}

    def test_forbid_or_show_refusal_makes_a_refused_permission_the_403_page(self, db):
        request = _request("post", {"username": "forbidden"})
        with pytest.raises(PermissionDenied):
            Page(request, refused=forbid_or_show_refusal)
        assert not User.objects.exists()

    def test_forbid_or_show_refusal_shows_other_refusals(self, db):
        request = _request("post", {"username": "taken"})
        page = Page(request, refused=forbid_or_show_refusal)
        assert page.response.status_code == 400
        assert page.form.errors == {"username": ["This name is taken."]}

    def test_a_refused_permission_is_shown_on_the_form_by_default(self, db):
        request = _request("post", {"username": "forbidden"})
        page = Page(request)
        assert page.response.status_code == 400
        assert page.form.non_field_errors() == ["You do not have permission to do this."]


class ShowRefusalTests:
    def _bound(self):
        form = NameForm({"username": "x", "email": ""})
        assert form.is_valid()
        return form

    def test_each_missing_field_the_form_has_gets_the_message(self):
        form = self._bound()
        show_refusal(form, ApplicationError("Fill these in.", {"missing": ["email", "other"]}))
        assert form.errors == {"email": ["Fill these in."]}

    def test_a_field_the_form_lacks_puts_the_message_above_the_form(self):
        form = self._bound()
        show_refusal(form, ApplicationError("Wrong.", {"field": "elsewhere"}))
        assert form.non_field_errors() == ["Wrong."]
