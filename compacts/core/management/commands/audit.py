from django.core.management.base import BaseCommand, CommandError

from compacts.core.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain: `compacts audit verify`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Recompute every hash; exit 1 at the first broken record.")

    def handle(self, *args, action, **options):
        report = audit_chain_verify()
        if report.intact:
            self.stdout.write(f"Audit chain intact: {report.checked} records checked.")
            return
        raise CommandError(
            f"Audit chain broken at record #{report.broken_seq}: {report.reason} "
            f"({report.checked} records before it are intact)."
        )
