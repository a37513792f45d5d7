"""Backend of the emulator: the state of every emulated company, apart from the wire format."""

from .models import Company, Entity, Sender, User
from .store import Backend

__all__ = ["Backend", "Company", "Entity", "Sender", "User"]
