"""Lookups an app offers to the apps beside it, without either importing the other.

Apps of one layer may not import each other (config/layers.py). Where one needs to read what
another keeps (deployment links a flex request's problem to a ward priority, which promises
keeps), the keeper provides a named lookup in its AppConfig.ready() and the other asks for it by
name. A lookup nobody provides answers the asker's default.

    # promises/apps.py
    lookups.provide("ward_priorities", selectors.open_priorities)
    # deployment
    lookups.ask("ward_priorities", [ward_id], default=[])

Lookups in use: `ward_priorities(ward_ids)` → [(priority id, ward id, issue)], the wards' open
priorities, newest first (promises)."""

from collections.abc import Callable

_provided: dict[str, Callable] = {}


def provide(name: str, lookup: Callable) -> None:
    _provided[name] = lookup


def ask(name: str, *args, default=None, **kwargs):
    lookup = _provided.get(name)
    return default if lookup is None else lookup(*args, **kwargs)
