"""What the public API publishes that no other app keeps: the force's senior officers, as
data.police.uk's `forces/{force}/people` lists them. An admin edits the list."""

from django.db import models


class SeniorOfficer(models.Model):
    name = models.CharField(max_length=120)
    rank = models.CharField(max_length=80, help_text="e.g. Commissioner, Deputy Commissioner.")
    bio = models.TextField(blank=True, help_text="HTML allowed, as data.police.uk publishes it.")
    email = models.EmailField(blank=True, help_text="A public address only.")
    telephone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    twitter = models.URLField(blank=True)
    ordering = models.PositiveSmallIntegerField(default=0, help_text="Lower first.")

    class Meta:
        ordering = ["ordering", "name"]

    def __str__(self):
        return f"{self.rank} {self.name}"

    @property
    def contact_details(self) -> dict[str, str]:
        """data.police.uk's `contact_details`: only the methods given."""
        methods = {
            "email": self.email, "telephone": self.telephone, "web": self.website,
            "twitter": self.twitter,
        }
        return {key: value for key, value in methods.items() if value}
