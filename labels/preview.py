"""A PNG preview of a label: its PDF rasterised by pdfium, so the preview shows exactly what the PDF prints.

``png_preview(label, stock, dpi=300)`` returns PNG bytes of one label at dpi (grey, 8 bits).
"""

import io

import pypdfium2

from labels.content import Label, LabelError
from labels.pdf import render_pdf
from labels.stock import Stock

PREVIEW_DPI_MAX = 1200


def png_preview(label: Label, stock: Stock, dpi: int = 300) -> bytes:
    """The label rendered to PDF, then to a PNG image at dpi."""
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 72 <= dpi <= PREVIEW_DPI_MAX:
        raise LabelError(f"preview resolution {dpi!r} dpi is not a whole number from 72 to {PREVIEW_DPI_MAX}")
    document = pypdfium2.PdfDocument(render_pdf([label], stock))
    try:
        image = document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()
