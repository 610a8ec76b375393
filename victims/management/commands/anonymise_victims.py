"""manage.py anonymise_victims: remove now the personal data whose retention has passed (what
the nightly job does). `make restore` runs it, so a backup taken before a victim's data was
removed does not bring that data back."""

from django.core.management.base import BaseCommand

from victims.services import victims_anonymise


class Command(BaseCommand):
    help = "Remove the personal data of victims whose retention period has passed."

    def handle(self, *args, **options):
        count = victims_anonymise()
        self.stdout.write(f"{count} victim(s) anonymised.")
