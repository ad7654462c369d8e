"""Every Word document of a report: the analysis report, the rejection letters, the requests for justification.

`render_docx` returns them as bytes keyed by their path under rapports/, so the caller renders everything
first and writes only when all succeeded (a failed render never leaves half a set of letters).
"""

from __future__ import annotations

import re

from evaluation.reporting.build import build_view
from evaluation.reporting.context import ReportContext
from evaluation.reporting.labels import anchor
from evaluation.reporting.letters import (
    DEFAULT_STANDSTILL,
    build_rejection_letter,
    build_request_letter,
    rejected_offers,
)
from evaluation.reporting.report_docx import build_report_document
from evaluation.reporting.view import ReportView
from evaluation.reporting.word import document_bytes, document_date, new_document

__all__ = ["LETTERS_DIR", "REPORT_DOCX", "REQUESTS_DIR", "file_stem", "render_docx"]

REPORT_DOCX = "rapport-analyse-offres.docx"
LETTERS_DIR = "lettres"
REQUESTS_DIR = "demandes-precisions"
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def file_stem(offer_id: str) -> str:
    """The offer id as a file name; an id that is not a plain identifier gets a hashed safe name."""
    return offer_id if _SAFE_ID.match(offer_id) else anchor("offre", offer_id)


def render_docx(ctx: ReportContext, *, delai_suspension: int = DEFAULT_STANDSTILL) -> dict[str, bytes]:
    """The analysis report, one letter per rejected bidder and one request per abnormally low offer.

    Args:
        ctx: the report's inputs.
        delai_suspension: standstill period printed in the letters, in days (R. 2182-1).

    Returns:
        Bytes keyed by path relative to rapports/ (« lettres/beta.docx »), in a stable order.
    """
    if delai_suspension < 0:
        raise ValueError("le délai de suspension ne peut pas être négatif")
    view = build_view(ctx)
    stamp = document_date(ctx.date)
    files: dict[str, bytes] = {}
    title = f"Rapport d'analyse des offres — {view.reference}"
    doc = new_document(running_title=title, draft=view.provisoire)
    build_report_document(doc, view)
    files[REPORT_DOCX] = document_bytes(doc, stamp=stamp, title=title, subject=view.objet)
    for offer in rejected_offers(view):
        doc = new_document(running_title=view.reference, draft=view.provisoire)
        build_rejection_letter(doc, view, offer, days=delai_suspension)
        files[f"{LETTERS_DIR}/{file_stem(offer.id)}.docx"] = document_bytes(
            doc, stamp=stamp, title=f"Information sur le rejet de l'offre — {offer.soumissionnaire}",
            subject=view.reference,
        )
    for request in view.demandes:
        doc = new_document(running_title=view.reference, draft=False)
        build_request_letter(doc, view, request)
        files[f"{REQUESTS_DIR}/{file_stem(request.offre_id)}.docx"] = document_bytes(
            doc, stamp=stamp, title=f"Demande de précisions — {request.soumissionnaire}", subject=view.reference,
        )
    return files


def letters_note(view: ReportView) -> str | None:
    """Why no rejection letter was written, if none was."""
    if view.laureat is not None:
        return None
    if sum(1 for o in view.offers if o.rang == 1) > 1:
        return "offres classées premières ex æquo : départagez-les avant de préparer les lettres de rejet"
    return "aucune offre classée : pas de lettre de rejet"
