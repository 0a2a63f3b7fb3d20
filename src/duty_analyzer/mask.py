"""Personal-data masking: the implementation is `privacy.py`; these names stay importable from here."""

from __future__ import annotations

from .privacy import (  # noqa: F401
    UNMASKED_NOTICE, mask_corpus, mask_name, mask_names, mask_numbers, mask_address, mask_record, mask_statement,
    mask_text, record_names, write_unmasked_notice,
)
