from django.core.management.base import BaseCommand

from demand.reference import load_reference


class Command(BaseCommand):
    help = (
        "Load the reference data demand needs from demand/data/: the LSOA 2011 and LSOA 2021 "
        "lookups to 2022 wards, IMD 2019 and 2025 by LSOA, and Census 2021 ward populations (best "
        "fit). Run `manage.py load_london` first. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        counts = load_reference()
        for name, n in counts.items():
            self.stdout.write(f"{name:<18} {n:>6,}")
        self.stdout.write(self.style.SUCCESS("Demand reference data loaded."))
