import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from compacts.core.exceptions import ApplicationError
from compacts.core.services import administrator_create


class Command(BaseCommand):
    help = "Create the first administrator (or another). The password is asked for, never printed."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=False)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )

    def handle(self, *args, username=None, email="", password_stdin=False, **options):
        username = username or input("Username: ").strip()
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The two passwords differ.")
        try:
            user = administrator_create(username=username, email=email, password=password)
        except ApplicationError as error:
            messages = error.extra.get("password", [])
            details = " ".join(str(message) for message in messages)
            raise CommandError(f"{error.message} {details}".strip()) from error
        self.stdout.write(f"Administrator {user.username} created.")
