"""``compacts up``: everything from an empty folder to a running platform, in one command."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from compacts.core.i18n import compile_catalogues, project_app_dirs


class Command(BaseCommand):
    help = (
        "Create or update the database, load reference and demonstration data, then run the web "
        "server (gunicorn, static files through WhiteNoise), the background task worker and the "
        "scheduler of periodic jobs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="Skip the demonstration data.")
        parser.add_argument(
            "--workers", type=int, default=min(4, (os.cpu_count() or 1) * 2), help="Web workers."
        )
        parser.add_argument(
            "--prepare-only",
            action="store_true",
            help="Prepare the database and static files, then exit without serving.",
        )

    def handle(self, *args, host, port, no_demo, workers, prepare_only, **options):
        started = time.monotonic()
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self._step("Compiling the message catalogues")
        compile_catalogues(project_app_dirs())
        self._step("Migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        self._step("Loading reference data")
        call_command("reference", stdout=self.stdout)
        if not no_demo:
            self._step("Loading the demonstration data (illustrative, not real)")
            call_command("demo", stdout=self.stdout)
        self._step("Collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Prepared in {time.monotonic() - started:.1f} s.")
        if prepare_only:
            return
        self._serve(host=host, port=port, workers=workers, demo=not no_demo)

    def _step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"- {text}"))

    def _serve(self, *, host: str, port: int, workers: int, demo: bool) -> None:
        env = dict(os.environ)  # DJANGO_SETTINGS_MODULE included: both children use ours
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        web = subprocess.Popen(  # noqa: S603 - fixed argument list
            [
                sys.executable,
                "-m",
                "gunicorn",
                "compacts.config.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ],
            env=env,
        )
        worker = subprocess.Popen(  # noqa: S603 - fixed argument list
            [sys.executable, "-m", "compacts", "db_worker", "--interval", "1"], env=env
        )
        scheduler = subprocess.Popen(  # noqa: S603 - fixed argument list
            [sys.executable, "-m", "compacts", "schedule", "loop", "--interval", "30"], env=env
        )
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(f"\ncompacts is running at http://{shown_host}:{port}/")
        )
        if demo:
            self._print_demo_logins()
        else:
            self.stdout.write("Create the first administrator with: uv run compacts createadmin")
        self.stdout.write("Press Ctrl-C to stop.\n")
        self._wait(web, worker, scheduler)

    def _print_demo_logins(self) -> None:
        from compacts.core.demo import DEMO_PASSWORD, DEMO_USERNAME_PREFIX

        users = get_user_model().objects.filter(username__startswith=DEMO_USERNAME_PREFIX)
        self.stdout.write(f"Demonstration logins (password for all: {DEMO_PASSWORD}):")
        for user in users.order_by("username"):
            self.stdout.write(f"  {user.username:<28} {user.get_full_name()}")

    def _wait(self, *processes: subprocess.Popen) -> None:
        def stop(*_args):
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
