"""Demonstration accounts, shared by every app's demonstration data.

These accounts exist only when the demonstration data is loaded (``compacts up`` without
``--no-demo``); an installation without it has no account with a known password.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_PASSWORD = "demo-compacts-2026"  # noqa: S105 - published on purpose: illustrative data only
DEMO_USERNAME_PREFIX = "demo-"


@transaction.atomic
def demo_user(*, username: str, first_name: str, last_name: str, email: str = "", **flags):
    """Get or create one demonstration account (idempotent)."""
    user_model = get_user_model()
    full_username = f"{DEMO_USERNAME_PREFIX}{username}"
    user, created = user_model.objects.get_or_create(
        username=full_username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": email or f"{full_username}@example.org",
            **flags,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_demo(*, stdout) -> None:
    """The platform administrator of the demonstration."""
    demo_user(
        username="admin",
        first_name="Demo",
        last_name="Administrator",
        is_staff=True,
        is_superuser=True,
    )
    stdout.write("  core: demonstration administrator ready")
