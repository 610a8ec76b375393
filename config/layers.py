"""The layers of the code, lowest first. An app imports only from the layers below its own: never
from an app beside it in its layer, never from one above. `config` names apps only as strings
(INSTALLED_APPS, include("<app>.urls"), task names); pages that show several apps' records get
them as panels the apps register (config.panels).

This table is the one statement of the layers: the README's "How the code is laid out" prints
it line by line and tests/test_layers.py holds every import of the code to it (and fails on a
top-level package it does not place). Some apps are named before they exist, so that whoever
adds them knows where they go."""

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shared plumbing", ("config",)),
    ("geography", ("wards",)),
    ("people", ("teams",)),
    ("the work", ("deployment", "promises", "victims", "demand", "contact")),
    ("what combines them", ("planning", "policeuk", "supervision", "schools")),
    ("reports", ("reports",)),
)

# Not part of the application: they may import from any layer, and nothing imports them.
OUTSIDE = ("bench", "tests", "manage")


def layer_of(package: str) -> int | None:
    """The layer number of a top-level package (0 for config), or None if it is not placed."""
    for number, (_name, packages) in enumerate(LAYERS):
        if package in packages:
            return number
    return None


def readme_lines() -> list[str]:
    """The layers as the README writes them, one line per layer, lowest first."""
    return [
        f"{number}. {name}: " + ", ".join(f"`{p}`" for p in packages)
        for number, (name, packages) in enumerate(LAYERS)
    ]
