"""Reference data the deployment app ships with."""

# The abstraction types seen in the Met's Dedicated Ward Officer abstractions data.
ABSTRACTION_TYPES = [
    ("local-aid", "Local aid", "In-borough events and operations"),
    (
        "central-aid",
        "Central aid",
        "Off-borough: demonstrations, Notting Hill Carnival, New Year's Eve",
    ),
    ("cad-room", "CAD room", "Covering the computer-aided dispatch room"),
    ("court", "Court", "Attending court"),
    ("training", "Training", "Courses and mandatory training"),
    ("response-cover", "Response cover", "Covering emergency response teams"),
    ("other", "Other", "Anything else; say what in the notes"),
]


def seed_abstraction_types(model) -> None:
    """Create or refresh the types. `model` is the AbstractionType class (a migration passes its
    historical model)."""
    for order, (code, name, description) in enumerate(ABSTRACTION_TYPES):
        model.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "ordering": order}
        )
