"""The site's shared areas: URL spaces that several features hang their pages in.

The public pages, the contractor's pages and the coordinator's pages each belong to one audience and
one menu, while their routes come from several features (the directory and open data; obligations
and the supplier ranking; review, reports, rule sets and duplicates). The blueprint objects live
here, below every feature, so no feature imports another feature's views to add a page; the
composition root registers them with their URL prefixes.
"""

from __future__ import annotations

from flask import Blueprint, url_for
from flask_wtf import FlaskForm

from marketplace.core.web import input_schema
from marketplace.core.web.access import is_same_site_path

public = Blueprint("public", __name__)
contractor = Blueprint("contractor", __name__)
coordinator = Blueprint("coordinator", __name__)


class DecisionForm(FlaskForm):
    """Only the CSRF token; the pressed button carries the decision."""


def back_to(default_endpoint: str) -> str:
    """Where to go after a decision: the page it was made on (the queue, with its filters) or the default."""
    target = input_schema.form().get("next", "")
    if target and len(target) <= 2000 and is_same_site_path(target):
        return target
    return url_for(default_endpoint)
