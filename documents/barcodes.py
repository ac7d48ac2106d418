"""The 2-D code on a document, made with zxing-cpp (its zint-based writer).

A code is kept as its module matrix (True = dark) so the PDF draws it as vector rectangles:
sharp at any zoom on a phone, and a few hundred bytes. Error correction follows what gate
readers expect: PDF417 at security level 5 (IATA's BCBP guidance), Aztec and QR at least 23%
and M.
"""

from dataclasses import dataclass

import zxingcpp


class BarcodeTooLong(ValueError):
    """The data does not fit in one symbol of the chosen format."""


FORMATS = {
    "pdf417": (zxingcpp.PDF417, {"ec_level": "5"}),
    "aztec": (zxingcpp.Aztec, {"ec_level": "23%"}),
    "qr": (zxingcpp.QRCode, {"ec_level": "M"}),
}
# Rows a PDF417 module is tall in zint's picture (each row is drawn three modules high).
_ROW_HEIGHT = {"pdf417": 3}


@dataclass(frozen=True)
class Symbol:
    format: str
    width: int  # modules
    height: int  # modules (for PDF417: rows x 3, as the picture is drawn)
    dark: tuple[tuple[int, int, int], ...]  # (row, first column, run length) of dark modules


def encode(data: str | bytes, format: str) -> Symbol:  # noqa: A002 — the code's format
    """The symbol for `data` (text as UTF-8, bytes as they are); BarcodeTooLong if it cannot fit."""
    kind, options = FORMATS[format]
    try:
        code = zxingcpp.create_barcode(data, kind, **options)
    except ValueError as exc:
        raise BarcodeTooLong(str(exc).split(" (retval")[0]) from None
    image = code.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape[:2]
    pixels = memoryview(image).tobytes()
    runs = []
    for row in range(height):
        line = pixels[row * width : (row + 1) * width]
        column = 0
        while column < width:
            if line[column] == 0:
                start = column
                while column < width and line[column] == 0:
                    column += 1
                runs.append((row, start, column - start))
            else:
                column += 1
    return Symbol(format=format, width=width, height=height, dark=tuple(runs))
