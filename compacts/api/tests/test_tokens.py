"""API tokens: stored hashed, scoped to one user, revocable; their services and endpoints."""

import json

import pytest
from django.test import Client

from compacts.actors.testing import superuser, user_without_role
from compacts.api.models import ApiToken
from compacts.api.services import (
    TOKEN_PREFIX,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    token_digest,
)
from compacts.core.exceptions import ApplicationError, PermissionDeniedError
from compacts.core.models import AuditRecord

pytestmark = pytest.mark.django_db


class ApiTokenServiceTests:
    def test_secret_is_shown_once_and_only_its_hash_is_stored(self):
        user = user_without_role()
        token, secret = api_token_create(user=user, name=" laptop ", actor=user)
        assert secret.startswith(TOKEN_PREFIX)
        assert token.name == "laptop"
        assert token.digest == token_digest(secret)
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
        assert secret not in {str(value) for value in stored.values()}
        assert token.prefix == secret[: len(TOKEN_PREFIX) + 6]
        record = AuditRecord.objects.get(action="api.token.create")
        assert secret not in json.dumps(record.after)

    def test_authenticates_its_user_only_until_revoked(self):
        user = user_without_role()
        token, secret = api_token_create(user=user, name="t", actor=user)
        assert api_token_authenticate(secret=secret) == user
        api_token_revoke(token=token, actor=user)
        assert api_token_authenticate(secret=secret) is None
        api_token_revoke(token=token, actor=user)  # again: no error, no second record
        assert AuditRecord.objects.filter(action="api.token.revoke").count() == 1

    @pytest.mark.parametrize("secret", ["", "cpt_", "Bearer x", "cpt_" + "a" * 500, "x" * 43])
    def test_unknown_secrets_authenticate_nobody(self, secret):
        assert api_token_authenticate(secret=secret) is None

    def test_deactivated_users_tokens_stop_working(self):
        user = user_without_role()
        _token, secret = api_token_create(user=user, name="t", actor=user)
        user.is_active = False
        user.save()
        assert api_token_authenticate(secret=secret) is None

    def test_records_when_it_was_last_used(self):
        user = user_without_role()
        token, secret = api_token_create(user=user, name="t", actor=user)
        api_token_authenticate(secret=secret)
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_nobody_issues_or_revokes_someone_elses_token_except_administrators(self):
        owner, other = user_without_role(), user_without_role()
        with pytest.raises(PermissionDeniedError):
            api_token_create(user=owner, name="t", actor=other)
        token, _secret = api_token_create(user=owner, name="t", actor=superuser())
        with pytest.raises(PermissionDeniedError):
            api_token_revoke(token=token, actor=other)
        token.refresh_from_db()
        assert token.revoked_at is None
        api_token_revoke(token=token, actor=superuser())
        token.refresh_from_db()
        assert token.revoked_at is not None

    @pytest.mark.parametrize("name", ["", "   ", "x" * 101])
    def test_bad_names_are_refused(self, name):
        user = user_without_role()
        with pytest.raises(ApplicationError):
            api_token_create(user=user, name=name, actor=user)
        assert not ApiToken.objects.exists()


class ApiTokenApiTests:
    def test_create_list_revoke_with_the_session(self):
        user = user_without_role()
        client = Client()
        client.force_login(user)
        created = client.post(
            "/api/v1/tokens", data=json.dumps({"name": "script"}), content_type="application/json"
        )
        assert created.status_code == 201
        secret = created.json()["secret"]
        listed = client.get("/api/v1/tokens").json()
        assert listed["count"] == 1
        assert "secret" not in listed["items"][0]
        machine = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert machine.get("/api/v1/tokens").status_code == 200
        token_id = created.json()["id"]
        assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 204
        assert machine.get("/api/v1/tokens").status_code == 401
        assert client.get("/api/v1/tokens").json()["items"][0]["revoked_at"] is not None

    def test_someone_elses_token_is_not_found(self):
        owner = user_without_role()
        token, _secret = api_token_create(user=owner, name="t", actor=owner)
        client = Client()
        client.force_login(user_without_role())
        assert client.delete(f"/api/v1/tokens/{token.pk}").status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_session_writes_need_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user_without_role())
        response = client.post(
            "/api/v1/tokens", data=json.dumps({"name": "x"}), content_type="application/json"
        )
        assert response.status_code in {401, 403}
        assert set(response.json()) == {"message", "extra"}
        assert not ApiToken.objects.exists()


class PublicAuthTests:
    def test_a_valid_token_on_a_public_read_acts_as_its_user(self):
        """Public reads work with or without a token; with one, the request is its user's."""
        from compacts.actors import roles
        from compacts.actors.testing import user_with_role

        user = user_with_role(roles.DONOR)
        _token, secret = api_token_create(user=user, name="t", actor=user)
        assert Client().get("/api/v1/organisations").status_code == 200
        with_token = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert with_token.get("/api/v1/organisations").status_code == 200
        organisation_id = user.memberships.get().organisation_id
        # Memberships are visible to the organisation's own members: the token carries the user.
        listed = with_token.get(f"/api/v1/organisations/{organisation_id}/memberships")
        assert listed.status_code == 200
        assert listed.json()["items"][0]["username"] == user.username
