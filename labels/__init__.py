"""Identifiers and label rendering: plain data in, bytes out. No Flask, no database, nothing from app/.

Public API (import from the modules; this package imports nothing, so ``labels.isbt128`` stays light):

- ``labels.isbt128``: ISBT 128 structures (``Din``, ``ProductCode``, ``Expiration``, ``ChainOfIdentity``,
  ``Compound``), ``check_character``, ``din_with_flag``, ``parse``; errors are ``Malformed``.
- ``labels.sec``: the EU Single European Code (``Sec``, ``Sec.of``, ``parse_sec``).
- ``labels.content``: what each template prints, frozen self-validating dataclasses: ``CryovialLabel``,
  ``BagLabel`` (tissue or drug product), ``BoxLabel``, ``DoseLabel``, ``PatientLabel``; every refusal is a
  ``LabelError`` (a ``ValueError``) naming the field.
- ``labels.stock``: ``Stock(name, width_mm, height_mm, margin_mm)``, ``STOCKS`` (a default stock per template:
  "cryovial", "bag", "box", "dose", "patient"), ``DPI`` (203, 300, 600).
- ``labels.pdf.render_pdf(labels, stock) -> bytes``: one PDF page per label at the stock's size (a batch is one
  file), symbols as vectors.
- ``labels.zpl.render_zpl(labels, stock, dpi=203) -> bytes``: one ZPL II format per label for a Zebra printer.
- ``labels.preview.png_preview(label, stock, dpi=300) -> bytes``: a PNG of the label's PDF.
- ``labels.templates.layout(label, stock)``: where everything goes (the checked ``labels.geometry.Layout``),
  for callers that need the placed symbols, e.g. to know which data each symbol carries.

A stock too small for its template, text too long for its line, or data a printer cannot carry raises
``LabelError`` before any byte is produced: nothing is printed that would break the ISBT 128 print rules.
"""
