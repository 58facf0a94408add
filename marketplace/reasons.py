"""Reasons put into words, in the reader's language (Dutch by default, English on request).

matching.reasons keeps every explanation as a code with parameters; this module is the one
place that turns a code into a sentence. Dates read as 14-03-2026 in Dutch and 14/03/2026
in English; parameters are escaped by the template engine like any other text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask_babel import format_date, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from matching.reasons import Reason

TEXTS = {
    "resolution.kvk_shared": _l("KvK %(kvk)s gelijk"),
    "resolution.kvk_different": _l("KvK verschillend (%(left)s / %(right)s)"),
    "resolution.domain_same": _l("website %(domain)s gelijk"),
    "resolution.domain_different": _l("andere website (%(left)s / %(right)s)"),
    "resolution.name_similar": _l("naam %(similarity)s%% gelijk"),
    "resolution.name_typo": _l("naam %(similarity)s%% gelijk (verschrijving)"),
    "resolution.place_same": _l("zelfde plaats (%(place)s)"),
    "resolution.place_different": _l("andere plaats (%(left)s / %(right)s)"),
    "crawl.layout_changed": _l(
        "de opmaak van het register is veranderd op %(count)s pagina('s), bijvoorbeeld %(example)s"
    ),
    "crawl.listing_failed": _l(
        "%(count)s overzichtspagina('s) gaven geen bruikbaar antwoord, bijvoorbeeld %(example)s"
    ),
    "crawl.nothing_found": _l("het register leverde geen enkele inschrijving op"),
    "crawl.fewer_than_stated": _l(
        "het register noemt %(stated)s inschrijvingen, de overzichtspagina's toonden er %(found)s"
    ),
    "crawl.fewer_than_last_run": _l(
        "%(found)s inschrijvingen gevonden, minder dan 70%% van de %(last)s van de laatste volledige crawl"
    ),
    "crawl.too_many_unread": _l(
        "%(count)s van %(total)s pagina's konden niet worden gelezen (2%% of meer), bijvoorbeeld %(example)s"
    ),
    "crawl.database_locked": _l(
        "opslaan mislukt: de database bleef bezet (vergrendeld) en de crawl gaf het op"
    ),
    "crawl.store_failed": _l("opslaan mislukt: %(error)s"),
    "crawl.not_recorded": _l("ook deze mislukte crawl kon niet worden vastgelegd"),
    "crawl.abandoned": _l("afgebroken: het crawlproces stopte voor het einde"),
    "crawl.unread_page": _l("niet gelezen (vermelding ongewijzigd): %(page)s"),
    "account.password_too_short": _l("Het wachtwoord moet minstens %(minimum)s tekens hebben."),
    "account.email_taken": _l("Er is al een account met e-mailadres %(email)s."),
    "account.unknown_role": _l("Onbekende rol: %(roles)s. Kies uit %(choices)s."),
    "account.coordinator_needs_region": _l(
        "Een coördinator hoort bij minstens één arbeidsmarktregio (--region)."
    ),
    "account.unknown_region": _l("Onbekende arbeidsmarktregio: %(region)s."),
    "account.choose_role": _l("Kies een rol uit de lijst."),
    "claim.no_website": _l(
        "Deze onderneming heeft geen website in het register. Vraag een coördinator om te beoordelen."
    ),
    "claim.already_owned": _l(
        "Deze onderneming heeft al een eigenaar. Uw aanvraag gaat naar een coördinator."
    ),
    "claim.wrong_domain": _l("Gebruik een e-mailadres dat eindigt op @%(domain)s."),
    "claim.code_not_possible": _l("Deze aanvraag kan niet (meer) met een code worden bevestigd."),
    "claim.code_expired": _l("De code is verlopen. Vraag een nieuwe code aan."),
    "claim.code_wrong": _l("Deze code klopt niet. Controleer de code in de e-mail."),
    "claim.motivation_needed": _l("Vertel kort waarom dit uw onderneming is."),
    "claim.reason_needed": _l("Geef een reden; de aanvrager krijgt die te zien."),
    "profile.offering_elsewhere": _l("Dit aanbod hoort niet bij deze onderneming."),
    "profile.choose_image_kind": _l("Kies logo of foto."),
    "profile.image_too_large": _l("Het bestand is te groot: maximaal %(megabytes)s MB."),
    "profile.not_an_image": _l("Dit bestand is geen afbeelding (PNG, JPEG, GIF of WebP)."),
    "legacy.text": _l("%(text)s"),
}


DATE_PATTERNS = {"nl": "dd-MM-yyyy", "en": "d MMM yyyy"}


def show_date(value: date) -> str:
    """14-03-2026 in Dutch, 14 Mar 2026 in English."""
    return format_date(value, DATE_PATTERNS.get(str(get_locale() or "nl"), "dd-MM-yyyy"))


def _shown(value: Any) -> Any:
    """A parameter as the reader expects it: dates and numbers in their language's form."""
    if isinstance(value, date):
        return show_date(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return show_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, float):
        return format_decimal(value, "#,##0.##")
    return value


def explain(reason: Reason | Mapping[str, Any] | str) -> str:
    """One reason in words."""
    if isinstance(reason, str) or not isinstance(reason, Reason):
        reason = Reason.from_json(reason)
    return str(TEXTS[reason.code]) % {key: _shown(value) for key, value in reason.params.items()}


def explain_all(reasons: Iterable[Reason | Mapping[str, Any] | str], separator: str = "; ") -> str:
    return separator.join(explain(reason) for reason in reasons)
