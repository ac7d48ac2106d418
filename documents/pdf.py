"""One page laid out like a mobile boarding pass (or rail ticket), drawn with reportlab.

`render` takes what is printed (a Face, worded by documents/face.py) and the barcode's symbol,
and returns the PDF. The page is phone-shaped; the code sits in a white field with its quiet
zone, drawn as vector rectangles so a gate scanner reads it off a screen at any zoom. The text
uses Bitstream Vera (shipped with reportlab), embedded as a subset: the file stays small and
looks the same on every phone.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from reportlab.lib.colors import HexColor, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from documents.barcodes import Symbol

WIDTH, HEIGHT = 320.0, 620.0  # points: about a phone screen's proportions
MARGIN = 20.0
INK = HexColor("#14213d")
MUTED = HexColor("#5c677d")
RULE = HexColor("#d9dee7")

_FONTS = Path(reportlab.__file__).parent / "fonts"
REGULAR, BOLD = "Vera", "VeraBd"
pdfmetrics.registerFont(TTFont(REGULAR, str(_FONTS / "Vera.ttf")))
pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))
_GLYPHS = set(pdfmetrics.getFont(REGULAR).face.charToGlyph)
# Letters Vera lacks, as a name is written without them.
_FALLBACK = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ș": "s", "ț": "t", "Ș": "S"}


@dataclass(frozen=True)
class Face:
    """Everything printed on the document, already in the reader's language."""

    title: str  # "Boarding pass" / "Instapkaart"
    carrier: str  # "KLM Royal Dutch Airlines"
    accent: str  # the carrier's colour for the header band, "#00a1de"
    origin_code: str
    origin_city: str
    origin_time: str
    destination_code: str
    destination_city: str
    destination_time: str
    passenger_label: str
    passenger: str
    cells: list[tuple[str, str]]  # (label, value), three per row
    footer: list[str] = field(default_factory=list)
    notice: str = ""  # e.g. "Replaced by a newer version" — never on a document sent out


def _text(value: str) -> str:
    return "".join(c if ord(c) in _GLYPHS else _FALLBACK.get(c, "?") for c in value)


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest size up to `size` at which `text` fits in `width`."""
    while size > 6 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def render(face: Face, symbol: Symbol, *, document_id: str = "") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=1, invariant=1)
    canvas.setTitle(_text(f"{face.title} · {face.passenger}"))
    canvas.setAuthor(_text(face.carrier))
    canvas.setSubject(document_id)
    _header(canvas, face)
    y = _route(canvas, face, HEIGHT - 118)
    y = _passenger(canvas, face, y - 14)
    y = _cells(canvas, face, y - 10)
    _barcode(canvas, symbol, top=y - 12, bottom=64)
    _footer(canvas, face)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _header(canvas: Canvas, face: Face) -> None:
    canvas.setFillColor(HexColor(face.accent))
    canvas.roundRect(0, HEIGHT - 70, WIDTH, 70, 0, stroke=0, fill=1)
    canvas.setFillColor(white)
    carrier = _text(face.carrier)
    canvas.setFont(BOLD, _fit(canvas, carrier, BOLD, 15, WIDTH - 2 * MARGIN))
    canvas.drawString(MARGIN, HEIGHT - 32, carrier)
    canvas.setFont(REGULAR, 11)
    canvas.drawString(MARGIN, HEIGHT - 52, _text(face.title))


def _route(canvas: Canvas, face: Face, y: float) -> float:
    half = (WIDTH - 2 * MARGIN) / 2
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 34)
    canvas.drawString(MARGIN, y, _text(face.origin_code))
    canvas.drawRightString(WIDTH - MARGIN, y, _text(face.destination_code))
    _arrow(canvas, WIDTH / 2, y + 12)
    for text, x, right in (
        (face.origin_city, MARGIN, False),
        (face.destination_city, WIDTH - MARGIN, True),
    ):
        text = _text(text)
        canvas.setFont(REGULAR, _fit(canvas, text, REGULAR, 10, half - 8))
        (canvas.drawRightString if right else canvas.drawString)(x, y - 16, text)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 16)
    canvas.drawString(MARGIN, y - 36, _text(face.origin_time))
    canvas.drawRightString(WIDTH - MARGIN, y - 36, _text(face.destination_time))
    return y - 48


def _arrow(canvas: Canvas, x: float, y: float) -> None:
    canvas.setStrokeColor(MUTED)
    canvas.setFillColor(MUTED)
    canvas.setLineWidth(1.5)
    canvas.line(x - 14, y, x + 10, y)
    head = canvas.beginPath()
    head.moveTo(x + 14, y)
    head.lineTo(x + 7, y + 4.5)
    head.lineTo(x + 7, y - 4.5)
    head.close()
    canvas.drawPath(head, stroke=0, fill=1)
    canvas.setLineWidth(1)


def _label(canvas: Canvas, text: str, x: float, y: float) -> None:
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawString(x, y, _text(text.upper()))


def _passenger(canvas: Canvas, face: Face, y: float) -> float:
    canvas.setStrokeColor(RULE)
    canvas.line(MARGIN, y + 6, WIDTH - MARGIN, y + 6)
    _label(canvas, face.passenger_label, MARGIN, y - 8)
    name = _text(face.passenger)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, _fit(canvas, name, BOLD, 15, WIDTH - 2 * MARGIN))
    canvas.drawString(MARGIN, y - 25, name)
    return y - 34


def _cells(canvas: Canvas, face: Face, y: float) -> float:
    column = (WIDTH - 2 * MARGIN) / 3
    for start in range(0, len(face.cells), 3):
        for i, (label, value) in enumerate(face.cells[start : start + 3]):
            x = MARGIN + i * column
            _label(canvas, label, x, y - 8)
            value = _text(value or "–")
            canvas.setFillColor(INK)
            canvas.setFont(BOLD, _fit(canvas, value, BOLD, 14, column - 6))
            canvas.drawString(x, y - 25, value)
        y -= 38
    return y


def _barcode(canvas: Canvas, symbol: Symbol, *, top: float, bottom: float) -> None:
    """The code as large as fits, centred, on white with a quiet zone of at least 4 modules."""
    canvas.setStrokeColor(RULE)
    canvas.line(MARGIN, top + 4, WIDTH - MARGIN, top + 4)
    room_w, room_h = WIDTH - 2 * MARGIN, top - bottom
    quiet = 4 if symbol.format != "pdf417" else 2
    module = min(room_w / (symbol.width + 2 * quiet), room_h / (symbol.height + 2 * quiet))
    width, height = symbol.width * module, symbol.height * module
    x0 = (WIDTH - width) / 2
    y0 = bottom + (room_h - height) / 2
    canvas.setFillColor(white)
    canvas.rect(
        x0 - quiet * module,
        y0 - quiet * module,
        width + 2 * quiet * module,
        height + 2 * quiet * module,
        stroke=0,
        fill=1,
    )
    # In module units (integers) under one transform: a few hundred short operators, written
    # as PDF directly, instead of formatting every corner as a float.
    canvas.saveState()
    canvas.setFillColor(HexColor("#000000"))
    canvas.transform(module, 0, 0, module, x0, y0)
    operators = [
        f"{column} {symbol.height - row - rows} {length} {rows} re"
        for row, column, length, rows in _merged_runs(symbol)
    ]
    canvas.addLiteral("\n".join(operators) + "\nf")
    canvas.restoreState()


def _merged_runs(symbol: Symbol):
    """Dark runs, each stretched over the rows below it that repeat it (PDF417 rows are 3 high)."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    for row, column, length in symbol.dark:
        by_row.setdefault(row, []).append((column, length))
    row = 0
    while row < symbol.height:
        runs = by_row.get(row, [])
        rows = 1
        while row + rows < symbol.height and by_row.get(row + rows, []) == runs:
            rows += 1
        for column, length in runs:
            yield row, column, length, rows
        row += rows


def _footer(canvas: Canvas, face: Face) -> None:
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 7)
    y = 44
    for line in face.footer[:3]:
        canvas.drawCentredString(WIDTH / 2, y, _text(line))
        y -= 10
    if face.notice:
        canvas.setFillColor(HexColor("#b00020"))
        canvas.setFont(BOLD, 9)
        canvas.drawCentredString(WIDTH / 2, HEIGHT - 84, _text(face.notice))
