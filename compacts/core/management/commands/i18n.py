from django.core.management.base import BaseCommand

from compacts.core.i18n import compile_catalogues, project_app_dirs, sync_catalogues


class Command(BaseCommand):
    help = "Keep the message catalogues of the six languages in step with the code."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sync = sub.add_parser("sync", help="Add new strings to every .po and drop unused ones.")
        sync.add_argument("apps", nargs="*", help="App labels (default: all).")
        sub.add_parser("compile", help="Write the .mo files.")

    def handle(self, *args, action, apps=(), **options):
        if action == "sync":
            for app_dir in project_app_dirs():
                if apps and app_dir.name not in apps:
                    continue
                missing = sync_catalogues(app_dir)
                if any(missing.values()):
                    counts = ", ".join(f"{lang} {n}" for lang, n in missing.items() if n)
                    self.stdout.write(f"{app_dir.name}: untranslated {counts}")
            return
        written = compile_catalogues(project_app_dirs())
        self.stdout.write(f"{written} catalogues compiled.")
