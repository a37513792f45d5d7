"""The registry of every emulated object, by name."""

from __future__ import annotations

from . import objects_ap, objects_ar, objects_dims, objects_gl, objects_inv, objects_ref, sequences
from .catalogue import ObjectDef

OBJECTS: dict[str, ObjectDef] = {
    o.name: o
    for module in (objects_gl, objects_dims, objects_ar, objects_ap, objects_inv, objects_ref, sequences)
    for o in module.OBJECTS
}


def get_object(name: str) -> ObjectDef | None:
    """The definition of ``name`` (case-insensitive), or None when the emulator has no such object."""
    return OBJECTS.get(name.strip().upper())
