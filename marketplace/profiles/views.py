"""Impact entrepreneurs: claim a listed profile, then complete it. Register facts stay read-only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from marketplace.core.extensions import db
from marketplace.core.geography import CpvCategory, LabourMarketRegion
from marketplace.core.web import input_schema
from marketplace.core.web.access import role_required
from marketplace.directory import services as directory
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import Claim, Offering, OrganisationImage, ProfileVersion
from marketplace.procurement import purchase_requests
from marketplace.profiles import claims, plain_text
from marketplace.profiles import services as profiles
from marketplace.profiles.forms import (
    ClaimByCodeForm,
    ClaimCodeForm,
    ClaimReviewForm,
    ImageForm,
    OfferingForm,
    ProfileForm,
)
from marketplace.sroi import matches

bp = Blueprint("entrepreneur", __name__)


def _listed(slug: str) -> Organisation:
    """The organisation a claim is about; 404 for unknown or merged-away profiles."""
    organisation = directory.organisation_by_slug(slug)
    if organisation is None or organisation.merged_into_id is not None:
        abort(404)
    return organisation


def _owned(organisation_id: int) -> Organisation:
    """The organisation, if the signed-in user owns it; 403 for anyone else, whatever the id says."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    if not claims.owns(current_user, organisation.id):
        abort(403)
    return organisation


@bp.get("/")
@role_required("entrepreneur")
def dashboard() -> str:
    mine = claims.owned_organisations(current_user)
    pending = db.session.scalars(
        select(Claim).where(Claim.user_id == current_user.id, Claim.status.in_(("code_sent", "review")))
    ).all()
    return render_template(
        "profiles/dashboard.html",
        organisations=mine,
        pending=pending,
        matched=matches.matched_to([organisation.id for organisation in mine]),
        requests=purchase_requests.fitting([organisation.id for organisation in mine]),
        form=MatchDecisionForm(),
    )


class MatchDecisionForm(FlaskForm):
    """Only the CSRF token: the button says it."""


@bp.post("/<int:organisation_id>/matches/<int:obligation_id>/niet-voor-ons")
@role_required("entrepreneur")
def not_for_us(organisation_id: int, obligation_id: int) -> Response:
    organisation = _owned(organisation_id)
    if not MatchDecisionForm().validate_on_submit():
        abort(400)
    try:
        matches.not_for_us(organisation, current_user, obligation_id)
    except LookupError:
        abort(404)
    flash(_("Genoteerd: we stellen %(name)s niet meer voor bij deze opdracht.", name=organisation.name),
          "success")  # fmt: skip
    return redirect(url_for("entrepreneur.dashboard"))


def _claim_page(organisation: Organisation, code_form: ClaimByCodeForm, review_form: ClaimReviewForm) -> str:
    return render_template(
        "profiles/claim.html",
        organisation=organisation,
        domain=claims.proof_domain(organisation),
        owned=claims.is_owned(organisation),
        code_form=code_form,
        review_form=review_form,
    )


@bp.get("/claim/<slug>")
@login_required
def claim(slug: str) -> str:
    organisation = _listed(slug)
    return _claim_page(organisation, code_form=ClaimByCodeForm(), review_form=ClaimReviewForm())


@bp.post("/claim/<slug>/code")
@login_required
def claim_by_code(slug: str) -> str | Response:
    organisation = _listed(slug)
    form = ClaimByCodeForm()
    if form.validate_on_submit():
        try:
            started = claims.start_by_code(organisation, current_user, form.email.data or "")
        except claims.ClaimError as error:
            flash(str(error), "error")
        else:
            return redirect(url_for("entrepreneur.enter_code", claim_id=started.id))
    return _claim_page(organisation, code_form=form, review_form=ClaimReviewForm())


@bp.route("/claim/code/<int:claim_id>", methods=["GET", "POST"])
@login_required
def enter_code(claim_id: int) -> str | Response:
    found = db.session.get(Claim, claim_id)
    if found is None or found.user_id != current_user.id:
        abort(404)
    form = ClaimCodeForm()
    if form.validate_on_submit():
        try:
            claims.verify_code(found, current_user, form.code.data or "")
        except claims.ClaimError as error:
            flash(str(error), "error")
        else:
            flash(
                _("Gelukt: %(name)s is nu uw onderneming op Impactmarkt.", name=found.organisation.name),
                "success",
            )
            return redirect(url_for("entrepreneur.edit", organisation_id=found.organisation_id))
    return render_template("profiles/code.html", claim=found, form=form)


@bp.post("/claim/<slug>/beoordeling")
@login_required
def claim_by_review(slug: str) -> str | Response:
    organisation = _listed(slug)
    form = ClaimReviewForm()
    if form.validate_on_submit():
        claims.request_review(organisation, current_user, form.motivation.data or "")
        flash(_("Uw aanvraag is doorgestuurd naar een coördinator. U krijgt bericht per e-mail."), "success")
        return redirect(url_for("public.organisation", slug=organisation.slug))
    return _claim_page(organisation, code_form=ClaimByCodeForm(), review_form=form)


def _profile_form(organisation: Organisation, data: object | None = None) -> ProfileForm:
    form = ProfileForm(formdata=data, obj=None if data else organisation)
    if not data:
        form.description.data = plain_text.to_text(organisation.description)  # owners never see HTML
    form.regions_served.choices = [
        SelectChoice(r.name, r.name)
        for r in db.session.scalars(select(LabourMarketRegion).order_by(LabourMarketRegion.name))
    ]
    return form


def _offering_form(data: object | None = None) -> OfferingForm:
    form = OfferingForm(formdata=data)
    form.cpv_code.choices = [SelectChoice("", _("Kies een categorie"))] + [
        SelectChoice(c.code, f"{c.code} {c.name_en if str(get_locale()) == 'en' else c.name_nl}")
        for c in db.session.scalars(select(CpvCategory).order_by(CpvCategory.code))
    ]
    return form


def _edit_page(organisation: Organisation, **forms: object) -> str:
    return render_template(
        "profiles/edit.html",
        organisation=organisation,
        form=forms.get("form") or _profile_form(organisation),
        offering_form=forms.get("offering_form") or _offering_form(),
        image_form=forms.get("image_form") or ImageForm(),
        offerings=db.session.scalars(
            select(Offering).where(Offering.organisation_id == organisation.id)
        ).all(),
        images=db.session.scalars(
            select(OrganisationImage).where(OrganisationImage.organisation_id == organisation.id)
        ).all(),
    )


@bp.route("/<int:organisation_id>/bewerken", methods=["GET", "POST"])
@role_required("entrepreneur")
def edit(organisation_id: int) -> str | Response:
    organisation = _owned(organisation_id)
    if request.method == "POST":
        form = _profile_form(organisation, input_schema.form())
        if form.validate_on_submit():
            values = {name: form[name].data for name in profiles.OWNER_FIELDS}
            values["description"] = plain_text.to_html(values["description"] or "") or None
            values["contact_postcode"] = (values["contact_postcode"] or "").replace(" ", "").upper() or None
            changed = profiles.update(organisation, current_user, values)
            flash(_("Opgeslagen.") if changed else _("Er was niets veranderd."), "success")
            return redirect(url_for("entrepreneur.edit", organisation_id=organisation.id))
        flash(_("Niet opgeslagen: controleer de velden met een melding."), "error")
        return _edit_page(organisation, form=form)
    return _edit_page(organisation)


@bp.post("/<int:organisation_id>/aanbod")
@role_required("entrepreneur")
def add_offering(organisation_id: int) -> str | Response:
    organisation = _owned(organisation_id)
    form = _offering_form(input_schema.form())
    if form.validate_on_submit():
        profiles.add_offering(
            organisation,
            current_user,
            form.cpv_code.data,
            form.title.data or "",
            form.description.data or "",
            form.price_indication.data,
        )
        flash(_("Aanbod toegevoegd."), "success")
        return redirect(url_for("entrepreneur.edit", organisation_id=organisation.id))
    flash(_("Niet opgeslagen: controleer de velden met een melding."), "error")
    return _edit_page(organisation, offering_form=form)


@bp.post("/<int:organisation_id>/aanbod/<int:offering_id>/verwijderen")
@role_required("entrepreneur")
def remove_offering(organisation_id: int, offering_id: int) -> Response:
    organisation = _owned(organisation_id)
    if not FlaskForm().validate_on_submit():  # the CSRF token is the whole form
        abort(400)
    try:
        profiles.remove_offering(organisation, current_user, offering_id)
    except profiles.ProfileError:
        abort(404)
    flash(_("Aanbod verwijderd."), "success")
    return redirect(url_for("entrepreneur.edit", organisation_id=organisation.id))


@bp.post("/<int:organisation_id>/afbeelding")
@role_required("entrepreneur")
def add_image(organisation_id: int) -> str | Response:
    organisation = _owned(organisation_id)
    form = ImageForm()
    if form.validate_on_submit():
        try:
            profiles.add_image(
                organisation,
                current_user,
                form.kind.data,
                form.image.data.read(profiles.MAX_IMAGE_BYTES + 1),
                form.alt_text.data or "",
            )
        except profiles.ProfileError as error:
            form.image.errors = [str(error)]
        else:
            flash(_("Afbeelding toegevoegd."), "success")
            return redirect(url_for("entrepreneur.edit", organisation_id=organisation.id))
    flash(_("Niet opgeslagen: controleer de velden met een melding."), "error")
    return _edit_page(organisation, image_form=form)


@bp.get("/<int:organisation_id>/geschiedenis")
@role_required("entrepreneur")
def history(organisation_id: int) -> str:
    organisation = _owned(organisation_id)
    versions = db.session.scalars(
        select(ProfileVersion)
        .where(ProfileVersion.organisation_id == organisation.id)
        .order_by(ProfileVersion.at.desc(), ProfileVersion.id.desc())
    ).all()
    # Field names as the edit form words them, in the reader's language.
    titles = {name: field.label.text for name, field in ProfileForm(formdata=None)._fields.items()}
    titles.update(offering=_("Aanbod"), logo=_("Logo"), photo=_("Foto"))
    return render_template(
        "profiles/history.html", organisation=organisation, versions=versions, titles=titles
    )
