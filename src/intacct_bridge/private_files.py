"""Folders and files only their owner may read: the data folder, the SQLite database, the key file.

The database holds every workspace's records and (encrypted) secrets; the key file decrypts
them. Whatever the process umask, a folder this module creates is 0700 and a file 0600.
Folders and files that already exist are left as their owner set them (an operator may
have chosen a shared group on purpose); only what is created here gets these modes.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700; an existing folder keeps its mode."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # made at the same moment by another process: its mode is its own
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
    return path


def create_private_file(path: Path) -> bool:
    """Create an empty `path` as 0600 if it does not exist yet (its folder 0700 if missing); True if created."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
    return True
