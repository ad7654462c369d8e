"""Read bidders' documents (PDF, Word, OpenDocument, text, Markdown) into blocks of text with provenance.

One reader module per format; `read_document` checks the file, picks the reader and turns any failure
into a status on the document, so that one unreadable file never stops the analysis of an offer.
"""

from evaluation.ingest.base import ReaderOutput
from evaluation.ingest.dispatch import SUPPORTED_SUFFIXES, read_document

__all__ = ["SUPPORTED_SUFFIXES", "ReaderOutput", "read_document"]
