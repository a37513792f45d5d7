"""A CSV download streamed from the store: the session opens when the first line is asked for and closes after
the last, on the worker thread Starlette iterates a sync generator on, so memory stays flat for any size."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from intacct_bridge.store.database import Store

CHUNK_CHARS = 64 * 1024


def streamed_csv(store: Store, filename: str, produce: Callable[[Session], Iterator[str]]) -> StreamingResponse:
    def body() -> Iterator[bytes]:
        # Lines go out in chunks of about 64 KB: each chunk is one hop from Starlette's event loop to the
        # thread running this generator, so a line per chunk would cost a hop per row.
        chunk = ["\ufeff"]  # a BOM: spreadsheet programs then read the file as UTF-8
        size = 0
        with store.session() as session:
            for line in produce(session):
                chunk.append(line)
                size += len(line)
                if size >= CHUNK_CHARS:
                    yield "".join(chunk).encode()
                    chunk, size = [], 0
        yield "".join(chunk).encode()

    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "export.csv"
    return StreamingResponse(body(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{safe}"'})
