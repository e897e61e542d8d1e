"""The one vocabulary of record kinds, and the plural names some external interfaces use.

Inside kcmap a kind is a RecordKind (its value is the table name and the audit `entity`).
The CLI (`kcmap import establishments`), URLs, OGC collection ids and map views say
'establishments', 'villages', 'projects': RecordKind.plural / RecordKind.from_plural map them.
"""

from __future__ import annotations

from enum import StrEnum

from geo.core.errors import InvalidInput


class RecordKind(StrEnum):
    """A kind of record kcmap keeps."""

    ESTABLISHMENT = "establishment"
    CRAFT_VILLAGE = "craft_village"
    PROJECT = "project"

    @property
    def plural(self) -> str:
        """The name external interfaces use: 'establishments', 'villages', 'projects'."""
        return _PLURAL[self]

    @classmethod
    def from_plural(cls, name: str) -> RecordKind:
        """The kind of an external name ('villages' → CRAFT_VILLAGE); InvalidInput if unknown."""
        for kind, plural in _PLURAL.items():
            if plural == name:
                return kind
        raise InvalidInput(f"Loại bản ghi không hợp lệ '{name}' ({', '.join(PLURALS)})")

    @classmethod
    def parse(cls, name: str) -> RecordKind:
        """A kind from its own name or its plural; InvalidInput if neither."""
        if name in cls._value2member_map_:
            return cls(name)
        return cls.from_plural(name)


_PLURAL = {RecordKind.ESTABLISHMENT: "establishments", RecordKind.CRAFT_VILLAGE: "villages",
           RecordKind.PROJECT: "projects"}
PLURALS = tuple(_PLURAL.values())
