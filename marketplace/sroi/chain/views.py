"""Pages of the chain, in the contractor area. The main contractor invites and ends
subcontractors on the obligation's chain page; the invitation link lands on a page anyone with
the link may open (it says how to sign in or sign up), accepting needs a contractor signed in with
the invited address. A subcontractor's pages show the obligation's name and their own
contributions only; another's invitation or contribution is a 404."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core.refusals import ServiceError
from marketplace.core.web import areas
from marketplace.core.web.access import found_or_404, role_required
from marketplace.core.web.areas import DecisionForm
from marketplace.core.web.limits import SUBMISSIONS_PER_ACCOUNT, limiter, signed_in_account
from marketplace.sroi.chain import services as chain
from marketplace.sroi.chain.forms import InviteForm
from marketplace.sroi.chain.models import ChainInvitation
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import evidence
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.obligations.contribution_forms import (
    contribution_forms,
    record_submitted,
    recorded_message,
)
from marketplace.sroi.obligations.owned import obligation_or_404

bp = areas.contractor


def _membership(invitation_id: int) -> ChainInvitation:
    return found_or_404(chain.membership_for, current_user, invitation_id)


def _chain_page(found: Obligation, form: InviteForm | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "sroi/chain/chain.html",
        obligation=found,
        invitations=chain.invitations_of(found),
        form=form or InviteForm(),
        end_form=DecisionForm(),
    ), status


@bp.get("/verplichtingen/<int:obligation_id>/keten")
@role_required("contractor")
def chain_page(obligation_id: int) -> tuple[str, int]:
    """The obligation's subcontractors: who is invited, who takes part, who has ended."""
    return _chain_page(obligation_or_404(obligation_id))


@bp.post("/verplichtingen/<int:obligation_id>/keten")
@role_required("contractor")
@limiter.limit(SUBMISSIONS_PER_ACCOUNT, key_func=signed_in_account)
def chain_invite(obligation_id: int) -> tuple[str, int] | Response:
    found = obligation_or_404(obligation_id)
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Controleer wat u heeft ingevuld."), "error")
        return _chain_page(found, form, 400)
    try:
        invitation = chain.invite(current_user, found, form.email.data, form.company.data or "")
    except ServiceError as error:
        flash(str(error), "error")
        return _chain_page(found, form, 400)
    flash(_("%(email)s is uitgenodigd en krijgt een e-mail met een link.", email=invitation.email), "success")
    return redirect(url_for("contractor.chain_page", obligation_id=found.id))


@bp.post("/verplichtingen/<int:obligation_id>/keten/<int:invitation_id>/beeindigen")
@role_required("contractor")
def chain_end(obligation_id: int, invitation_id: int) -> Response:
    found = obligation_or_404(obligation_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        chain.end(current_user, found, invitation_id)
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("De uitnodiging is beëindigd. Wat al is vastgelegd, blijft meetellen."), "success")
    return redirect(url_for("contractor.chain_page", obligation_id=found.id))


@bp.get("/keten/uitnodiging/<token>")
def chain_invitation(token: str) -> tuple[str, int]:
    """Where the invitation mail leads. Anyone holding the link may read which obligation it is
    for; the page says how to accept (sign in, or sign up as a contractor, with that address)."""
    invitation = chain.invitation_from_token(token)
    if invitation is None:
        return render_template("sroi/chain/invitation.html", invitation=None, token=token, form=None), 404
    return render_template(
        "sroi/chain/invitation.html", invitation=invitation, token=token, form=DecisionForm()
    ), 200


@bp.post("/keten/uitnodiging/<token>")
@role_required("contractor")
def chain_accept(token: str) -> Response:
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        invitation = chain.accept(current_user, token)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("contractor.chain_memberships"))
    flash(_("U doet mee als onderaannemer. Leg hier uw bijdragen vast."), "success")
    return redirect(url_for("contractor.subcontract", invitation_id=invitation.id))


@bp.get("/keten")
@role_required("contractor")
def chain_memberships() -> str:
    """The obligations where this contractor is a subcontractor."""
    return render_template("sroi/chain/memberships.html", memberships=chain.memberships(current_user))


def _subcontract_page(invitation: ChainInvitation, forms: dict[str, object] | None = None,
                      open_form: str | None = None) -> str:  # fmt: skip
    """A subcontractor's page of one obligation: its name and their own contributions only."""
    forms = forms or contribution_forms(invitation.obligation)
    return render_template(
        "sroi/chain/subcontract.html",
        invitation=invitation,
        obligation=invitation.obligation,
        contributions=chain.own_contributions(current_user, invitation),
        open_form=open_form,
        **forms,
    )


@bp.get("/keten/<int:invitation_id>")
@role_required("contractor")
def subcontract(invitation_id: int) -> str:
    return _subcontract_page(_membership(invitation_id))


@bp.post("/keten/<int:invitation_id>/bijdragen/<any(purchase, hire, placement, activity):kind>")
@role_required("contractor")
@limiter.limit(SUBMISSIONS_PER_ACCOUNT, key_func=signed_in_account)
def subcontract_add(invitation_id: int, kind: str) -> tuple[str, int] | Response:
    invitation = _membership(invitation_id)
    forms = contribution_forms(invitation.obligation)
    form = forms[kind]
    if not form.validate_on_submit():  # type: ignore[attr-defined]
        flash(_("Controleer wat u heeft ingevuld."), "error")
        return _subcontract_page(invitation, forms, kind), 400
    try:
        prepared = record_submitted(form, kind, partial(chain.add_contribution, current_user, invitation.id))
    except ServiceError as error:
        flash(str(error), "error")
        return _subcontract_page(invitation, forms, kind), 400
    flash(recorded_message(invitation.obligation, prepared), "success")
    return redirect(url_for("contractor.subcontract", invitation_id=invitation.id))


@bp.get("/keten/bijdragen/<int:contribution_id>")
@role_required("contractor")
def subcontract_contribution(contribution_id: int) -> str:
    """One contribution the subcontractor entered: what it is, its status and why."""
    try:
        contribution = chain.own_contribution(current_user, contribution_id)
    except LookupError:
        abort(404)
    mine = [m for m in chain.memberships(current_user) if m.obligation_id == contribution.obligation_id]
    return render_template(
        "sroi/chain/contribution.html",
        contribution=contribution,
        invitation=mine[0] if mine else None,
        documents_of=obligations.document_list,
    )


@bp.get("/keten/bijdragen/<int:contribution_id>/documenten/<int:document_id>")
@role_required("contractor")
def subcontract_document(contribution_id: int, document_id: int) -> Response:
    """One named document of a contribution the subcontractor entered (404 for anyone else's)."""
    try:
        chain.own_contribution(current_user, contribution_id)
        return evidence.response(current_user, contribution_id, document_id=document_id)
    except LookupError:
        abort(404)


@bp.get("/keten/bijdragen/<int:contribution_id>/bewijsstuk")
@role_required("contractor")
def subcontract_evidence(contribution_id: int) -> Response:
    """The evidence of a contribution the subcontractor entered (404 for anyone else's)."""
    try:
        chain.own_contribution(current_user, contribution_id)
        return evidence.response(current_user, contribution_id)
    except LookupError:
        abort(404)
