"""Read bidders' documents (PDF, Word, OpenDocument, text, Markdown) into blocks of text with provenance.

One reader module per format; `read_document` checks the file, picks the reader and turns any failure
into a status on the document, so that one unreadable file never stops the analysis of an offer.

Bidders' files are treated as hostile: ZIP packages are checked before any parser opens them
(`archive`, `xmlsafe`), PDF parsers run in a child process under a memory limit and a timeout
(`isolation`, `pdfwork`), and every document is cut at the page and character limits of `settings`.
"""

from evaluation.ingest.base import ReaderOutput, TableRowBlock
from evaluation.ingest.dispatch import SUPPORTED_SUFFIXES, read_document

__all__ = ["SUPPORTED_SUFFIXES", "ReaderOutput", "TableRowBlock", "read_document"]
