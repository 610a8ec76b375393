"""Reference data: the crime categories and where each is routed (data.police.uk's categories,
plus the ones the Met deals with in CID that data.police.uk folds into others). Seeded by a
migration; admins edit the routing afterwards."""

WARD, CID = "ward", "cid"
CATEGORIES = [
    ("anti-social-behaviour", "Anti-social behaviour", WARD),
    ("bicycle-theft", "Bicycle theft", WARD),
    ("burglary", "Burglary", WARD),
    ("criminal-damage-arson", "Criminal damage and arson", WARD),
    ("drugs", "Drugs", WARD),
    ("other-theft", "Other theft", WARD),
    ("possession-of-weapons", "Possession of weapons", WARD),
    ("public-order", "Public order", WARD),
    ("robbery", "Robbery", WARD),
    ("shoplifting", "Shoplifting", WARD),
    ("theft-from-the-person", "Theft from the person", WARD),
    ("vehicle-crime", "Vehicle crime", WARD),
    ("violent-crime", "Violence and sexual offences", CID),
    ("other-crime", "Other crime", WARD),
    ("hate-crime", "Hate crime", CID),
    ("domestic-abuse", "Domestic abuse", CID),
    ("sexual-offences", "Sexual offences", CID),
    ("serious-violence", "Serious violence", CID),
]


def seed_crime_categories(CrimeCategory):
    for slug, name, route in CATEGORIES:
        CrimeCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "routes_to": route}
        )
