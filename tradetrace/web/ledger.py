"""The ledger page: log size, recent checkpoints with cosignatures, and a receipt checker."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from tradetrace.errors import TradeTraceError
from tradetrace.ledger import checkpoint as ledger_checkpoint
from tradetrace.web.render import render
from tradetrace.workflows import ledger as ledger_workflow

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _context(request: Request) -> dict[str, object]:
    ledger: ledger_workflow.LedgerService = request.app.state.ledger
    checkpoints = []
    for size, note, published_at in ledger.store.checkpoints(limit=10):
        signed = ledger_checkpoint.SignedCheckpoint.from_text(note)
        signers = [signature.name for signature in signed.note.signatures]
        checkpoints.append(
            {
                "size": size,
                "root": signed.checkpoint.root_hash.hex(),
                "published_at": published_at,
                "cosigners": [name for name in signers if name != ledger.origin],
                "text": note,
            }
        )
    return {
        "origin": ledger.origin,
        "vkey": ledger.verifier.vkey,
        "size": ledger.store.head().size,
        "checkpoints": checkpoints,
    }


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(request: Request) -> HTMLResponse:
    """What the log holds and how to audit it."""
    return render(request, "ledger.html", **_context(request))


@router.post("/ledger/verify", response_class=HTMLResponse)
def verify_receipt(
    request: Request,
    receipt: Annotated[str, Form(max_length=20_000)],
    entry: Annotated[str, Form(max_length=70_000)] = "",
) -> HTMLResponse:
    """Check a pasted tlog-proof receipt, with the entry pasted or read from this log."""
    ledger: ledger_workflow.LedgerService = request.app.state.ledger
    text = receipt.replace("\r\n", "\n")
    try:
        outcome = ledger_workflow.check_receipt(
            ledger, text, entry.strip().encode() if entry.strip() else None
        )
    except TradeTraceError as exc:
        verdict = {"ok": False, "code": exc.code, "message": exc.message}
    else:
        verdict = {
            "ok": True,
            "message": f"entry {outcome.index} is in {outcome.origin} at size {outcome.size}",
            "entry": outcome.entry.decode(errors="replace"),
        }
    return render(request, "ledger.html", verdict=verdict, receipt=receipt, **_context(request))
