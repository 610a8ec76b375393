from django.core.management.base import BaseCommand

from schools.surroundings import radius_m, refresh


class Command(BaseCommand):
    help = "Recount crime and ASB around every school (after police.uk months are imported)."

    def handle(self, *args, **options):
        n = refresh()
        self.stdout.write(f"{n} schools counted within {radius_m()} m.")
