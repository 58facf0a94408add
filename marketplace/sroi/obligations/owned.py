"""The signed-in contractor's own obligation for a page: one look-up for every feature's contractor
pages (the obligation, its plan, chain, bulk entry, settlement and suppliers)."""

from __future__ import annotations

from flask_login import current_user

from marketplace.core.web.access import found_or_404
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations.services import obligation_for


def obligation_or_404(obligation_id: int) -> Obligation:
    """The contractor's own obligation; another's answers 404, exactly like a missing one."""
    return found_or_404(obligation_for, current_user, obligation_id)
