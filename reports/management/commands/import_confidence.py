"""Import public attitude survey results (confidence) from a CSV file, for any borough. The
file's format is in reports/performance/confidence.py and the README ("Performance")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.errors import DomainError
from reports.performance.confidence import import_confidence


class Command(BaseCommand):
    help = "Import public attitude survey confidence results (area, quarter, share, respondents)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None
        try:
            result = import_confidence(text)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if result.errors:
            lines = "\n".join(f"line {line}: {why}" for line, why in result.errors)
            raise CommandError(f"Nothing imported; {len(result.errors)} bad rows:\n{lines}")
        self.stdout.write(f"Imported {result.imported} results.")
