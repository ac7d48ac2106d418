"""Start-up check: DOCUMENT_BARCODE_FORMATS names only codes the documents app can draw."""

from django.conf import settings
from django.core.checks import Error

from documents.barcodes import FORMATS


def barcode_formats_check(app_configs=None, **kwargs) -> list[Error]:
    wrong = {c: f for c, f in settings.DOCUMENT_BARCODE_FORMATS.items() if f not in FORMATS}
    return [
        Error(
            f"DOCUMENT_BARCODE_FORMATS gives {carrier}={chosen}; the formats are "
            f"{', '.join(FORMATS)}",
            id="documents.E001",
        )
        for carrier, chosen in wrong.items()
    ]
