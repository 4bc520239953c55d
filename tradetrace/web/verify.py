"""The verify page: paste or upload a credential or presentation and read its report.

It calls the node's verifier (:meth:`NodeContext.verifier
<tradetrace.workflows.credentials.NodeContext.verifier>`), as ``POST /api/credentials/verify``
does, and shows the same report: the verdict, what was verified, and each named check with its
status, reason code and message (and, for a presentation, each credential in it). Verifying
changes nothing, so the page is open to anyone, like the API route.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from tradetrace.credentials.report import CheckId
from tradetrace.credentials.securing import DEFAULT_LIMITS
from tradetrace.web.render import render
from tradetrace.workflows import credentials

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_MAX_BYTES = DEFAULT_LIMITS.max_bytes  # what the verifier reads at most
_MAX_SHORT = 512  # challenge and domain
_FIELDS = ("document", "challenge", "domain", "trusted")


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request) -> HTMLResponse:
    """The empty form."""
    return render(request, "verify.html", values={}, problems={})


@router.post("/verify", response_class=HTMLResponse)
async def verify_submitted(request: Request) -> HTMLResponse:
    """Verify what was uploaded or, without a file, pasted, and show its report. A missing or
    oversized document, or an overlong challenge or domain, is named next to its field (400)."""
    # A pasted document larger than the limit still parses, so the form can say so.
    form_limits = {"max_files": 1, "max_fields": len(_FIELDS), "max_part_size": 2 * _MAX_BYTES}
    async with request.form(**form_limits) as form:
        values = {name: value for name in _FIELDS if isinstance(value := form.get(name), str)}
        document: bytes | str = values.get("document", "").strip()
        field = "document"
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            document, field = (await upload.read(_MAX_BYTES + 1)).strip(), "file"
    problems: dict[str, str] = {}
    size = (
        len(document) if isinstance(document, bytes) else len(document.encode("utf-8", "replace"))
    )
    if not size:
        problems[field] = "paste a credential or presentation, or choose a file"
    elif size > _MAX_BYTES:
        problems[field] = f"larger than {_MAX_BYTES} bytes"
        values.pop("document", None)  # not sent back
    for name in ("challenge", "domain"):
        if len(values.get(name, "")) > _MAX_SHORT:
            problems[name] = f"at most {_MAX_SHORT} characters"
    if problems:
        response = render(request, "verify.html", values=values, problems=problems)
        response.status_code = 400
        return response
    trusted_only = values.get("trusted") == "on"
    context: credentials.NodeContext = request.app.state.node_context
    report = context.verifier().verify(
        document,
        now=request.app.state.clock(),
        challenge=values.get("challenge", "").strip() or None,
        domain=values.get("domain", "").strip() or None,
    )
    result = report.to_json(require=[CheckId.TRUST] if trusted_only else [])
    return render(request, "verify.html", values=values, problems={}, report=result)
