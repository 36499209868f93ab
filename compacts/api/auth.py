"""Authentication for the API: bearer tokens for machines, the session for the browser."""

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from compacts.api.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cpt_...``; the token's user becomes ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(secret=token)
        if user is not None:
            request.user = user
        return user


def public_auth(request: HttpRequest):
    """Public reads: anyone; when a token is sent it must be valid, and its user is attached."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = api_token_authenticate(secret=header.removeprefix("Bearer ").strip())
        if user is None:
            raise AuthenticationError()
        request.user = user
    return request.user if request.user.is_authenticated else True


token_auth = TokenAuth()
signed_in_auth = [token_auth, django_auth]
