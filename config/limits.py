"""What the system accepts in an uploaded file or a typed date, declared once.

- An upload's size is held, for every content type, by the request body limits
  (REQUEST_BODY_LIMITS in config/settings/security.py, enforced by config/guards.py: 413).
- Its text is read by `read_csv_upload` (UTF-8, with or without a byte-order mark) and its rows by
  config.parsers.csv_rows, for every importer.
- Dates typed or imported where nothing narrower applies (a crime, a report's month, a figures
  period) fall in ACCEPTED_YEARS."""

from django.core.exceptions import ValidationError

# Years a date may fall in where nothing narrower applies (before 2000 no record was kept here;
# after 2100 is a typing mistake).
ACCEPTED_YEARS = (2000, 2100)


def read_csv_upload(upload) -> str:
    """The text of an uploaded CSV file. ValidationError when it is not UTF-8."""
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The file must be a CSV file saved as UTF-8") from None


def year_accepted(day) -> bool:
    first, last = ACCEPTED_YEARS
    return first <= day.year <= last


def years_text() -> str:
    return f"between {ACCEPTED_YEARS[0]} and {ACCEPTED_YEARS[1]}"
