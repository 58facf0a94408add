"""Reasons put into words, in the reader's language (Dutch by default, English on request).

matching.reasons keeps every explanation as a code with parameters; this module is the one
place that turns a code into a sentence. Dates read as 14-03-2026 in Dutch and 14/03/2026
in English; parameters are escaped by the template engine like any other text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import format_currency
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from marketplace.core.clock import DUTCH_TIME
from matching.reasons import Reason
from matching.sroi.rulesets import name_of

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
    "job.error": _l("Onverwachte fout: %(error)s"),
    "job.unknown_register": _l("Onbekend register: %(register)s."),
    "job.crawl_running": _l("Er loopt al een crawl van %(register)s; deze is niet gestart."),
    "job.abandoned": _l(
        "Deze taak stond na %(seconds)s seconden nog op ‘bezig’: de verwerker die haar deed is gestopt."
    ),
    "job.crawl_stuck": _l("De crawl van %(register)s duurde langer dan %(seconds)s seconden en is gestopt."),
    "job.crawl_failed": _l("De crawl van %(register)s is mislukt: %(summary)s"),
    "account.wrong_password": _l("Uw huidige wachtwoord klopt niet. Er is niets gewijzigd."),
    "account.same_email": _l("Dit is al uw e-mailadres."),
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
    "sroi.purchase": _l("inkoop bij %(label)s: %(share)s%% van %(invoice)s excl. btw = %(amount)s"),
    "sroi.label_ended": _l("%(label)s gold tot %(until)s, factuurdatum %(invoice_date)s: telt niet mee"),
    "sroi.label_not_yet": _l(
        "%(label)s geldt pas vanaf %(from)s, factuurdatum %(invoice_date)s: telt niet mee"
    ),
    "sroi.application_only": _l("%(label)s is alleen aangevraagd, geen keurmerk: telt niet mee"),
    "sroi.label_not_counted": _l("inkoop bij %(label)s telt niet mee onder %(ruleset)s"),
    "sroi.label_in_grace": _l("%(label)s wordt herbevestigd: telt mee onder voorbehoud"),
    "sroi.no_label": _l("deze leverancier heeft geen keurmerk: telt niet mee"),
    "sroi.unconfirmed": _l("dit bedrag komt uit de praktijk, niet uit de regeltekst (onbevestigd)"),
    "sroi.by_agreement": _l("alleen in overleg met de adviseur social return"),
    "sroi.hire_year": _l(
        "%(block)s: %(per_year)s per jaar × %(hours)s/%(fulltime)s uur × (%(months_expr)s)/12 jaar"
        " = %(amount)s"
    ),
    "sroi.hire_month": _l("%(block)s: %(per_month)s per maand × (%(months_expr)s) maanden = %(amount)s"),
    "sroi.hire_learn_work_year": _l(
        "%(block)s: %(per_year)s per leerwerkjaar × (%(months_expr)s)/12 jaar = %(amount)s"
    ),
    "sroi.hire_each": _l("%(block)s: %(amount)s"),
    "sroi.hire_capped": _l("telt hoogstens %(years)s jaar mee (opgegeven: %(months)s maanden)"),
    "sroi.range_lower_bound": _l(
        "het bedrag ligt tussen %(low)s en %(high)s per jaar; de ondergrens is gebruikt"
    ),
    "sroi.supplement": _l("toeslag %(supplement)s: + %(amount)s (eenmalig per aanstelling)"),
    "sroi.supplement_pro_rata": _l(
        "toeslag %(supplement)s: %(per_year)s per jaar × %(hours)s/%(fulltime)s uur"
        " × (%(months_expr)s)/12 jaar"
        " = %(amount)s"
    ),
    "sroi.hours_capped": _l(
        "%(hours)s uur per week opgegeven; er telt hoogstens een voltijdbaan van %(fulltime)s uur mee"
    ),
    "sroi.figure_unknown": _l("%(figure)s (%(ruleset)s): onbekend: uw coördinator stelt dit vast"),
    "sroi.senl_known_since": _l(
        "lid van Social Enterprise NL, bij ons bekend sinds %(since)s; de factuurdatum %(invoice_date)s"
        " ligt daarvoor: telt niet mee"
    ),
    "sroi.senl_member": _l("lid van Social Enterprise NL, bij ons bekend sinds %(since)s"),
    "sroi.activity_per_activity": _l(
        "%(ruleset)s waardeert een maatschappelijke activiteit per activiteit: kies die als bouwblok"
    ),
    "sroi.no_ruleset_known": _l(
        "Voor %(region)s is geen regelset bekend: wat meetelt is onbekend"
        " tot uw coördinator een regelset kiest."
    ),
    "sroi.threshold_warning": _l(
        "Let op: de opdrachtwaarde ligt onder de drempel van %(threshold)s uit %(rule)s."
    ),
    "ranking.counts_unknown": _l(
        "wat inkoop meetelt is onbekend onder %(ruleset)s: uw coördinator stelt dit vast"
    ),
    "sroi.unknown_supplement": _l("Toeslag %(supplement)s bestaat niet in %(ruleset)s."),
    "sroi.unknown_block": _l("Bouwblok %(block)s bestaat niet in %(ruleset)s."),
    "sroi.cannot_replace": _l("Alleen een afgewezen bijdrage kan vervangen worden, en maar één keer."),
    "sroi.planned": _l("gepland: telt pas mee na %(day)s, als de datum voorbij is"),
    "sroi.hire_planned_part": _l(
        "gepland: %(start)s tot en met %(end)s (%(amount)s) ligt nog voor ons"
        " en telt pas mee als die tijd voorbij is"
    ),
    "sroi.document_missing": _l(
        "Voeg ook toe: %(document)s. Zonder dit bewijsstuk kan de coördinator de bijdrage niet beoordelen."
    ),
    "sroi.document_not_asked": _l(
        "Voor deze bijdrage is geen %(document)s nodig. Haal het bestand weg of kies de toeslag erbij."
    ),
    "sroi.hire_outside_contract": _l(
        "Deze aanstelling valt helemaal buiten de looptijd van de opdracht (%(start)s tot en met %(end)s)."
    ),
    "sroi.hire_clipped": _l(
        "alleen de tijd binnen de looptijd van de opdracht telt mee: %(start)s tot en met %(end)s"
    ),
    "sroi.reference_is_bsn": _l(
        "Dit kenmerk lijkt op een BSN. Kies een eigen kenmerk, zonder BSN of naam."
    ),
    "sroi.duplicate_hire": _l(
        "Deze aanstelling (kenmerk %(reference)s, zelfde bouwblok en periode) is al vastgelegd"
        " als bijdrage %(other)s."
    ),
    "sroi.no_activity_rate": _l("%(ruleset)s waardeert sociale activiteiten niet per uur"),
    "sroi.activity": _l("%(hours)s uur sociale activiteit × %(per_hour)s = %(amount)s"),
    "sroi.duplicate_invoice": _l("Factuur %(number)s van deze leverancier telt al mee (bijdrage %(other)s)."),
    "sroi.not_an_amount": _l("Vul bij %(field)s een bedrag in euro's in, bijvoorbeeld 12000 of 12.000,50."),
    "sroi.amount_out_of_range": _l(
        "Het bedrag bij %(field)s moet groter dan nul zijn, in hele centen, en kleiner dan tien miljard."
    ),
    "sroi.not_a_date": _l("Vul bij %(field)s een datum in, bijvoorbeeld 2026-05-02."),
    "sroi.field_required": _l("Vul %(field)s in."),
    "sroi.text_too_long": _l("%(field)s is te lang: hoogstens %(limit)s tekens."),
    "sroi.unknown_region": _l("Onbekende arbeidsmarktregio: %(region)s."),
    "sroi.not_a_contractor": _l("Alleen een opdrachtnemer kan een verplichting registreren."),
    "sroi.end_before_start": _l("De einddatum ligt voor de begindatum."),
    "sroi.not_a_percentage": _l("Het percentage moet tussen 0 en 100 liggen."),
    "sroi.bad_cpv": _l("CPV-codes zijn cijfers, bijvoorbeeld 90910000; hoogstens 20."),
    "sroi.unknown_supplier": _l(
        "Op Impactmarkt staat geen onderneming met een keurmerk die %(supplier)s heet "
        "of dat KvK-nummer heeft."
    ),
    "sroi.invoice_outside_contract": _l(
        "De factuurdatum ligt buiten de looptijd van het contract (%(start)s tot %(end)s)."
    ),
    "sroi.bad_hours": _l("Vul een aantal uren in dat groter is dan nul (hoogstens 60 per week)."),
    "sroi.unknown_kind": _l(
        "Onbekende soort bijdrage: %(kind)s. Kies inkoop, aanstelling of sociale activiteit."
    ),
    "sroi.unknown_ruleset": _l("Onbekende regelset: %(ruleset)s."),
    "sroi.ruleset_invalid": _l("Deze regelset klopt niet: %(problem)s"),
    "sroi.bad_evidence": _l("Het bewijsstuk moet een PDF of afbeelding zijn van hoogstens %(megabytes)s MB."),
    "sroi.why_needed": _l("Schrijf kort waarom; dat komt bij de nieuwe versie en in het auditlog."),
    "sroi.ruleset_exists": _l("Er is al een regelset %(ruleset)s."),
    "sroi.supplier_ambiguous": _l(
        "Er zijn meer ondernemingen die %(supplier)s heten. Gebruik het KvK-nummer"
        " of het adres van haar pagina."
    ),
    "sroi.grace_not_counted": _l("%(label)s wordt herbevestigd en onder %(ruleset)s telt dat niet mee"),
    "sroi.below_threshold": _l(
        "De opdrachtwaarde ligt onder de drempel van %(threshold)s waarboven deze "
        "regels social return vragen."
    ),
    "review.approved": _l("goedgekeurd door de SROI-coördinator"),
    "review.rejected": _l("afgewezen door de SROI-coördinator: %(reason)s"),
    "review.corrected": _l("gecorrigeerd door de SROI-coördinator van %(was)s naar %(now)s: %(reason)s"),
    "review.corrected_block": _l("bouwblok gewijzigd van %(before)s naar %(after)s"),
    "review.reason_needed": _l("Geef een reden; de opdrachtnemer krijgt die te zien."),
    "review.already_decided": _l("Hierover is al beslist."),
    "review.asked": _l("meer informatie gevraagd door de SROI-coördinator: %(question)s"),
    "review.message_needed": _l("Schrijf een bericht of voeg een bestand toe."),
    "review.not_in_that_state": _l(
        "Dat kan niet meer: de bijdrage is intussen beoordeeld, beantwoord of ingetrokken."
    ),
    "review.already_decided_by": _l("Hierover is al beslist door %(who)s op %(moment)s."),
    "review.block_only_for_hires": _l("Alleen bij een aanstelling kunt u een ander bouwblok kiezen."),
    "review.partial_too_high": _l("Het bedrag dat meetelt kan niet hoger zijn dan %(maximum)s."),
    "review.nothing_corrected": _l("Vul een ander bouwblok of een ander bedrag in om te corrigeren."),
    "review.bad_filter": _l("Dit filter klopt niet: %(field)s. Pas het aan en probeer het opnieuw."),
    "monitor.at_risk": _l(
        "loopt achter: %(fulfilled)s procent ingevuld, nog %(time_left)s procent van de looptijd over"
        " (tot %(ends)s)"
    ),
    "monitor.bad_threshold": _l("Vul voor %(field)s een heel getal van 1 tot en met 100 in."),
    # plans, deadlines and contract changes (marketplace.sroi.plans, matching.sroi.plan_progress)
    "plan.line": _l("Regel %(line)s van het plan:"),
    "plan.reason_needed": _l("Geef een reden; de opdrachtnemer krijgt die te zien."),
    "plan.bad_year": _l("Kies een contractjaar van 1 tot en met %(years)s."),
    "plan.bad_months": _l("Vul bij een aanstelling 1 tot en met 12 maanden in."),
    "plan.bad_line": _l("Elke regel van het plan noemt een contractjaar en een soort bijdrage."),
    "plan.no_lines": _l("Een plan heeft ten minste één geplande bijdrage."),
    "plan.too_many_lines": _l("Een plan heeft hoogstens %(limit)s regels."),
    "plan.not_waiting": _l("Dat kan niet meer: over dit plan is al beslist, of er is een nieuwer voorstel."),
    "plan.bad_interval": _l("Vul een aantal maanden van 1 tot en met 24 in."),
    "plan.date_outside_contract": _l("%(day)s ligt niet binnen het contract (%(start)s tot en met %(end)s)."),
    "plan.no_schedule": _l("Vul een aantal maanden of ten minste één datum in."),
    "plan.nothing_to_report": _l("Er is nu geen rapportage om te bevestigen."),
    "plan.already_reported": _l("Deze rapportage is al bevestigd."),
    "change.unknown_kind": _l("Kies meerwerk, minderwerk of verlenging."),
    "change.value_not_positive": _l(
        "Na deze wijziging zou de opdrachtwaarde nul of negatief zijn. Dat kan niet."
    ),
    "change.ends_before_start": _l("Het contract kan niet eindigen voordat het begon (%(start)s)."),
    "change.extension_not_later": _l("Een verlenging eindigt na de huidige einddatum (%(end)s)."),
    "change.changed_meanwhile": _l(
        "Het contract is intussen gewijzigd. Bekijk de nieuwe cijfers en probeer het opnieuw."
    ),
    "monitor.behind_plan": _l(
        "loopt achter op het plan: %(of_plan)s procent van wat het plan tot nu toe verwacht (%(planned)s),"
        " nog %(time_left)s procent van de looptijd over (tot %(ends)s)"
    ),
    "report.bad_filter": _l("Dit filter klopt niet: %(field)s. Pas het aan en probeer het opnieuw."),
    "report.end_before_start": _l("De einddatum ligt voor de begindatum."),
    "ranking.fit_unspecified": _l("u gaf niet op wat u zoekt: elke leverancier past"),
    "ranking.fit_both": _l("biedt %(words)s; CPV %(cpv)s (%(level)s)"),
    "ranking.fit_text": _l("biedt %(words)s"),
    "ranking.fit_cpv": _l("CPV %(cpv)s (%(level)s)"),
    "ranking.fit_none": _l("past niet bij wat u zoekt"),
    "ranking.counts": _l("inkoop telt %(share)s procent mee onder %(ruleset)s (%(label)s)"),
    "ranking.counts_nothing": _l("inkoop telt niet mee onder %(ruleset)s (%(label)s)"),
    "ranking.counts_no_label": _l("geen keurmerk op die dag: inkoop telt niet mee"),
    "ranking.counts_no_obligation": _l("geen verplichting: er telt niets mee"),
    "ranking.no_valid_label": _l("geen geldig keurmerk"),
    "ranking.in_grace": _l("%(label)s wordt herbevestigd"),
    "ranking.valid_open": _l("%(label)s, zonder einddatum"),
    "ranking.valid_through": _l("%(label)s geldig tot %(until)s, na het einde van uw contract"),
    "ranking.valid_until_before_end": _l(
        "%(label)s geldig tot %(until)s, vóór het einde van uw contract (%(end)s)"
    ),
    "ranking.distance_municipality": _l("%(place)s, zelfde gemeente"),
    "ranking.distance_region": _l("%(place)s, zelfde arbeidsmarktregio (%(region)s)"),
    "ranking.distance_province": _l("%(place)s, zelfde provincie (%(province)s)"),
    "ranking.distance_elsewhere": _l("%(place)s, buiten uw provincie"),
    "ranking.distance_km": _l("%(km)s km (%(place)s, %(region)s)"),
    "ranking.distance_km_region": _l("%(km)s km (%(place)s, %(region)s): in uw arbeidsmarktregio"),
    "ranking.distance_unknown": _l("plaats onbekend"),
    "ranking.spread": _l("openstaande of recente matches: %(open)s"),
    "scan.reserved_feasible": _l(
        "%(count)s leveranciers met PSO 30+ binnen %(km)s km bieden %(need)s: voorbehouden aanbesteden "
        "lijkt haalbaar (u wilde er minstens %(threshold)s)."
    ),
    "scan.reserved_feasible_one": _l(
        "1 leverancier met PSO 30+ binnen %(km)s km biedt %(need)s: voorbehouden aanbesteden lijkt "
        "haalbaar (u wilde er minstens %(threshold)s)."
    ),
    "scan.reserved_not_feasible": _l(
        "%(count)s leveranciers met PSO 30+ binnen %(km)s km bieden %(need)s: voorbehouden aanbesteden "
        "lijkt niet haalbaar (u wilde er minstens %(threshold)s)."
    ),
    "scan.reserved_not_feasible_one": _l(
        "1 leverancier met PSO 30+ binnen %(km)s km biedt %(need)s: voorbehouden aanbesteden lijkt "
        "niet haalbaar (u wilde er minstens %(threshold)s)."
    ),
    "scan.reserved_none": _l(
        "Geen leverancier met PSO 30+ binnen %(km)s km biedt %(need)s: voorbehouden aanbesteden lijkt "
        "niet haalbaar."
    ),
    "scan.check_capacity": _l(
        "Let op: ga zelf na of deze leveranciers genoeg capaciteit hebben voor uw opdracht."
    ),
    "scan.need_needed": _l("Beschrijf wat u zoekt, of geef een CPV-code."),
    "scan.unknown_place": _l(
        "We kennen de plaats ‘%(place)s’ niet. Geef een gemeente of woonplaats in Nederland."
    ),
    "scan.place_needed": _l("Geef de plaats van levering: een gemeente of woonplaats."),
    "scan.bad_radius": _l("Kies een straal van 1 tot en met %(limit)s km."),
    "scan.end_before_start": _l("Het contract kan niet eindigen voordat het begint."),
    "scan.bad_threshold": _l("Kies een drempel van 1 tot en met %(limit)s leveranciers."),
    "scan.bad_cpv": _l("‘%(value)s’ is geen CPV-code. Een CPV-code heeft 8 cijfers, zoals 90910000."),
    "scan.name_needed": _l("Geef de marktverkenning een naam."),
    "scan.no_such_colleague": _l(
        "Wij vinden geen inkoper met dit e-mailadres. Vraag uw collega eerst een account te maken."
    ),
    "scan.own_scan": _l("Dit is uw eigen marktverkenning."),
    "match.message_needed": _l("Schrijf een kort bericht aan de onderneming."),
    "match.no_address": _l(
        "%(name)s heeft op Impactmarkt geen e-mailadres. Neem contact op via de website van de onderneming."
    ),
    "match.unknown_outcome": _l("Kies: aanvaard of afgewezen."),
    "match.bad_budget": _l("Vul voor %(field)s een bedrag in euro in dat groter is dan nul."),
    "list.name_needed": _l("Geef de lijst een naam."),
    "list.no_such_colleague": _l(
        "Er is geen inkoper of opdrachtnemer met dit e-mailadres op Impactmarkt. "
        "Vraag uw collega eerst een account te maken."
    ),
    "list.own_list": _l("Dit is uw eigen lijst."),
    "audit.chain_hash": _l(
        "Logboekregel %(entry)s is veranderd: de inhoud past niet meer bij zijn hash."
    ),
    "audit.chain_link": _l(
        "Logboekregel %(entry)s sluit niet aan op de regel ervoor: er is een regel "
        "weggehaald, verplaatst of tussengezet."
    ),
    "audit.chain_unchained": _l(
        "Logboekregel %(entry)s heeft geen hash: hij is buiten Impactmarkt om toegevoegd."
    ),
    "request.deadline_past": _l("De uiterste datum ligt in het verleden."),
    "request.closed": _l("Deze inkoopvraag is gesloten."),
    "request.already_answered": _l("Uw onderneming heeft al gereageerd op deze inkoopvraag."),
    "account.unknown_user": _l("Er is geen account met het e-mailadres %(email)s."),
    "account.role_held": _l("%(email)s heeft de rol %(role)s al."),
    "account.role_not_held": _l("%(email)s heeft de rol %(role)s niet."),
    "input.nul": _l("Bij %(field)s staat een teken dat niet mag (NUL)."),
    "input.surrogate": _l("Bij %(field)s staat een ongeldig teken."),
    "input.control": _l("Bij %(field)s staat een stuurteken dat niet mag."),
    "input.not_text": _l("Vul bij %(field)s tekst in."),
    "input.too_long": _l("%(field)s is te lang: hoogstens %(limit)s tekens."),
    "input.not_whole": _l("Vul bij %(field)s een heel getal in, met de cijfers 0 tot en met 9."),
    "input.out_of_range": _l("%(field)s moet tussen %(minimum)s en %(maximum)s liggen."),
    "input.not_a_date": _l("Vul bij %(field)s een datum in, bijvoorbeeld 2026-05-02."),
    "input.date_out_of_range": _l("De datum bij %(field)s moet tussen %(first)s en %(last)s liggen."),
    "input.not_a_number": _l("Vul bij %(field)s een getal in, bijvoorbeeld 12,5."),
    "input.too_many_places": _l("%(field)s mag hoogstens %(places)s cijfers achter de komma hebben."),
    "input.not_a_list": _l("Bij %(field)s hoort een lijst."),
    "input.too_many": _l("Bij %(field)s passen hoogstens %(limit)s waarden."),
    "input.too_deep": _l("De JSON is te diep genest: hoogstens %(limit)s niveaus."),
    "input.not_json": _l("Dit is geen leesbare JSON."),
    "input.unknown_field": _l("Onbekend veld: %(field)s."),
    "input.required": _l("Vul %(field)s in."),
    "input.not_a_choice": _l("%(field)s heeft geen geldige keuze."),
    "sroi.unknown_cpv": _l("CPV-code %(cpv)s bestaat niet."),
    "sroi.already_registered": _l("Dit is al geregistreerd."),
    "list.already_on_list": _l("Deze onderneming staat al op de lijst."),
    "chain.bad_email": _l("Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl."),
    "chain.own_address": _l("U kunt uzelf niet uitnodigen als onderaannemer."),
    "chain.already_invited": _l("%(email)s is al uitgenodigd voor deze verplichting."),
    "chain.link_invalid": _l("Deze uitnodiging werkt niet (meer). Vraag de hoofdaannemer om een nieuwe."),
    "chain.not_a_contractor": _l("Alleen een account als opdrachtnemer kan een uitnodiging aannemen."),
    "chain.other_address": _l(
        "Deze uitnodiging is voor %(email)s. Log in of registreer met dat e-mailadres."
    ),
    "chain.link_used": _l("Deze uitnodiging is al aangenomen of beëindigd."),
    "chain.already_ended": _l("Deze uitnodiging is al beëindigd."),
    "chain.ended": _l(
        "De hoofdaannemer heeft uw uitnodiging beëindigd. U kunt niets nieuws meer vastleggen."
    ),
    "bulk.not_xlsx": _l("Dit is geen Excel-bestand (.xlsx). Gebruik het sjabloon van deze pagina."),
    "bulk.macros": _l(
        "Dit bestand bevat macro's. Sla het op als gewoon Excel-bestand (.xlsx) en probeer het opnieuw."
    ),
    "bulk.too_large": _l("Het bestand is te groot: hoogstens %(limit)s MB."),
    "bulk.too_many_rows": _l("Te veel regels: hoogstens %(limit)s per bestand."),
    "bulk.empty": _l("Het bestand bevat geen ingevulde regels."),
    "bulk.missing_column": _l(
        "Het tabblad %(sheet)s mist de kolom %(column)s. Gebruik het sjabloon van deze pagina."
    ),
    "bulk.unknown_block": _l("Kies een bouwblok uit de lijst; %(block)s staat er niet in."),
    "bulk.unknown_supplement": _l("Kies toeslagen uit de lijst; %(supplement)s staat er niet in."),
    "bulk.duplicate_in_file": _l("Dezelfde regel staat al op regel %(row)s van dit tabblad."),
    "bulk.not_for_you": _l("U kunt voor deze verplichting niets vastleggen."),
    "legacy.text": _l("%(text)s"),
    # Rules as published, round 3 (issue 28)
    "sroi.ruleset_not_approved": _l(
        "%(ruleset)s heeft nog geen goedgekeurde versie;"
        " een versie die op beoordeling wacht, telt nergens mee."
    ),
    "sroi.waiting_for_ruleset": _l(
        "waarde onbekend: deze verplichting wacht op regelset. Voor %(region)s is geen regelset bekend;"
        " uw coördinator kiest er een, daarna krijgt elke bijdrage haar waarde."
    ),
    "sroi.ruleset_already_chosen": _l("Deze verplichting heeft al een regelset; er is niets veranderd."),
    "sroi.ruleset_chosen": _l("regelset gekozen door de SROI-coördinator: %(ruleset)s"),
    "sroi.person_capped": _l(
        "telt hoogstens %(years)s jaar per persoon mee; deze persoon telde al %(before)s maanden mee in"
        " andere bijdragen van deze verplichting, dus nog %(months)s maanden"
    ),
    "sroi.senl_member_proven": _l(
        "lid van Social Enterprise NL sinds %(since)s, volgens het bewijsstuk van de opdrachtnemer"
        " (bij ons bekend sinds %(known_since)s)"
    ),
    "sroi.senl_start_needs_evidence": _l(
        "Voeg een bewijsstuk toe waaruit blijkt wanneer het lidmaatschap van Social Enterprise NL begon."
    ),
    "review.waiting_for_ruleset": _l(
        "Deze bijdrage wacht op regelset: kies eerst de regelset van de verplichting,"
        " dan krijgt zij haar waarde."
    ),
    "companies.bad_kvk": _l("Een KvK-nummer heeft 8 cijfers."),
    "companies.bad_kind": _l("Kies SW-bedrijf of leerwerkbedrijf."),
    "companies.unknown_organisation": _l(
        "%(organisation)s staat niet in Impactmarkt. Vul dan de naam en het KvK-nummer in."
    ),
    "companies.source_needed": _l("Schrijf waar u het van weet (de bron); dat komt in het auditlog."),
    "companies.already_listed": _l("%(name)s staat al op deze lijst."),
    "settlement.read_only": _l(
        "Deze verplichting is afgerekend: bijdragen kunnen niet meer worden toegevoegd, gewijzigd, "
        "ingetrokken of beoordeeld. Een correctie is een nieuwe afrekening met een reden."
    ),
    "settlement.already_settled": _l(
        "Deze verplichting is al afgerekend op %(day)s. Wilt u iets corrigeren? Geef dan een reden."
    ),
    "settlement.too_early": _l(
        "Afrekenen kan vanaf de einddatum (%(end)s), of eerder als de verplichting helemaal is ingevuld."
    ),
    "settlement.not_settled": _l("Deze verplichting is nog niet afgerekend: er is niets te corrigeren."),
    "settlement.reason_needed": _l("Geef de reden van de correctie."),
    "settlement.unknown_consequence": _l(
        "Kies het gevolg: geen, verlenging, vervangende inspanning of compensatiebedrag."
    ),
    "settlement.agreement_needed": _l("Schrijf op wat er is afgesproken."),
    "settlement.amount_needed": _l("Vul het afgesproken compensatiebedrag in."),
    "settlement.changed_meanwhile": _l(
        "Iemand anders heeft deze afrekening net gecorrigeerd. Bekijk de nieuwe en probeer het opnieuw."
    ),
    "impact.unknown_person": _l("Kies een persoon (uw kenmerk) uit een aanstelling bij deze verplichting."),
    "impact.future_day": _l("De datum mag niet in de toekomst liggen."),
}
# Words for parameter values that are codes themselves.
PARAM_WORDS = {
    "figure": {
        "fulltime_hours": _l("het aantal uren van een voltijdbaan"),
        "block_value": _l("de waarde van dit bouwblok"),
        "supplement_value": _l("de waarde van deze toeslag"),
        "purchase_share": _l("het deel van de factuur dat meetelt"),
        "labels": _l("welke keurmerken meetellen"),
        "activity_rate": _l("de waarde van een activiteit"),
    },
    "label": {
        "list:sw_company": _l("SW-bedrijf (op de lijst van de regio)"),
        "list:learn_work_company": _l("leerwerkbedrijf (op de lijst van de regio)"),
    },
    "level": {"class": _l("zelfde klasse"), "group": _l("zelfde groep"), "division": _l("zelfde afdeling")},
}


DATE_PATTERNS = {"nl": "dd-MM-yyyy", "en": "d MMM yyyy"}
MONEY_PARAMS = {
    "amount",
    "invoice",
    "per_year",
    "per_month",
    "per_hour",
    "low",
    "high",
    "threshold",
    "was",
    "now",
    "maximum",
    "planned",
}
FIELD_NAMES = {
    "title": _l("de naam van de opdracht"),
    "contracting_authority": _l("de opdrachtgever"),
    "contract_reference": _l("het kenmerk van het contract"),
    "contract_value_excl_vat": _l("de opdrachtwaarde excl. btw"),
    "starts_on": _l("de begindatum"),
    "ends_on": _l("de einddatum"),
    "needs": _l("wat u wilt inkopen"),
    "invoice_number": _l("het factuurnummer"),
    "invoice_date": _l("de factuurdatum"),
    "amount_excl_vat": _l("het factuurbedrag excl. btw"),
    "block": _l("het bouwblok"),
    "start": _l("de begindatum"),
    "end": _l("de einddatum"),
    "amount": _l("het bedrag dat meetelt"),
    "message": _l("het bericht"),
    "budget": _l("het budget"),
    "name": _l("de naam"),
    "note": _l("de notitie"),
    "description": _l("de omschrijving"),
    "price": _l("de prijs"),
    "deadline": _l("de uiterste datum"),
    "spend": _l("het bedrag dat u wilt besteden"),
    "soort": _l("de soort"),
    "register": _l("het register"),
    "ouder_dan": _l("het aantal dagen"),
    "onder": _l("het factuurbedrag"),
    "regio": _l("de regio"),
    "van": _l("de begindatum"),
    "tot": _l("de einddatum"),
    "weergave": _l("de soort rapportage"),
    "item": _l("het nummer van het item"),
    "fulfilled_below": _l("het deel dat ingevuld is"),
    "time_left_below": _l("het deel van de looptijd dat over is"),
    "hours": _l("het aantal uren"),
    "percentage": _l("het percentage"),
    "cpv": _l("de CPV-codes"),
    "supplements": _l("de toeslagen"),
    "path": _l("het adres"),
    "?": _l("een waarde"),
    "jaar": _l("het jaar"),
    "year": _l("het jaar"),
    "selected": _l("de keuze"),
    "reason": _l("de reden"),
    "agreed_on": _l("de datum van de wijziging"),
    "months": _l("het aantal maanden"),
    "interval_months": _l("het aantal maanden tussen rapportages"),
    "dates": _l("de data"),
    "consequence_text": _l("wat er is afgesproken"),
    "consequence_amount": _l("het afgesproken bedrag"),
    "person_reference": _l("het kenmerk van de persoon"),
    "employed_on": _l("de datum"),
    "email": _l("het e-mailadres"),
    "company": _l("de naam van het bedrijf"),
}


def show_date(value: date) -> str:
    """14-03-2026 in Dutch, 14 Mar 2026 in English."""
    return format_date(value, DATE_PATTERNS.get(str(get_locale() or "nl"), "dd-MM-yyyy"))


def show_moment(value: datetime | str) -> str:
    """A stored moment (naive UTC) in Dutch time: 14-03-2026 09:05 (14 Mar 2026 09:05 in English)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment.replace(tzinfo=UTC).astimezone(DUTCH_TIME).replace(tzinfo=None)
    pattern = DATE_PATTERNS.get(str(get_locale() or "nl"), "dd-MM-yyyy")
    return format_datetime(local, f"{pattern} HH:mm", rebase=False)


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


@lru_cache(maxsize=8)
def _euro_form(language: object) -> tuple[str, str, str, str]:
    """How the language writes euros (prefix, group and decimal separators, suffix), learnt once
    from Babel's own currency format of 1234.50: a page shows hundreds of amounts."""
    sample = format_currency(Decimal("1234.50"), "EUR", locale=language)
    prefix, rest = sample.split("1", 1)
    group, rest = rest.split("234", 1)
    decimal_mark, suffix = rest.split("50", 1)
    return prefix, group, decimal_mark, suffix


def money(amount: Decimal | str | int) -> str:
    """An exact amount in euros as the reader writes it: € 12.000,00 (Dutch), €12,000.00 (English)."""
    prefix, group, decimal_mark, suffix = _euro_form(get_locale() or "nl")  # a Locale, cached per request
    value = Decimal(str(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    whole, cents = f"{abs(value):.2f}".split(".")
    digits = f"{int(whole):,}".replace(",", group)
    return f"{'-' if value < 0 else ''}{prefix}{digits}{decimal_mark}{cents}{suffix}"


def money_from_cents(cents: int) -> str:
    return money(Decimal(int(cents)) / 100)


def _param(key: str, value: Any) -> Any:
    """Amounts as money (€ 12.000,00 in Dutch), field names in words, dates and numbers as the
    reader writes them."""
    if key in MONEY_PARAMS and isinstance(value, str):
        try:
            return money(value)
        except ArithmeticError:
            return value
    if key == "field" and value in FIELD_NAMES:
        return str(FIELD_NAMES[value])
    if key in PARAM_WORDS and value in PARAM_WORDS[key]:
        return str(PARAM_WORDS[key][value])
    if key == "moment" and isinstance(value, str):
        try:
            return show_moment(value)
        except ValueError:
            return value
    return _shown(value)


# Codes whose key parameter is what a person typed: shown as typed.
AS_TYPED = {"sroi.unknown_block", "sroi.unknown_supplement"}
# Parameters that are keys of the rule data: shown by their name in the reader's language.
NAMED_PARAMS = {"block": "block", "supplement": "supplement", "before": "block", "after": "block",
                "ruleset": "ruleset", "purchase": "purchase", "document": "document"}  # fmt: skip


def rule_name(kind: str, key: str, params: Mapping[str, Any] | None = None) -> str:
    """A block, supplement, unit or rule set by its name in the reader's language, never its key."""
    language = "en" if str(get_locale() or "nl").startswith("en") else "nl"
    if params and params.get(f"name_{language}"):
        return str(params[f"name_{language}"])
    return name_of(kind, key, language)


def block_name(key: str | None) -> str:
    """A building block by its name in the reader's language (pages, mails, reports, forms)."""
    return rule_name("block", key or "")


def supplement_name(key: str | None) -> str:
    return rule_name("supplement", key or "")


def document_name(key: str | None) -> str:
    """A document asked as evidence ("invoice") by its name in the reader's language ("factuur")."""
    return rule_name("document", key or "")


def ruleset_name(name: str | None) -> str:
    """A rule set's name in the reader's language (a coordinator's own copy keeps its own name)."""
    return rule_name("ruleset", name or "")


def explain(reason: Reason | Mapping[str, Any] | str) -> str:
    """One reason in words (a stored reason is read as it is: no Reason object needed to word it)."""
    if isinstance(reason, Reason):
        code, params = reason.code, reason.params
    elif isinstance(reason, str):
        code, params = "legacy.text", {"text": reason}
    else:
        code, params = reason["code"], reason.get("params") or {}
    words = {key: _param(key, value) for key, value in params.items()}
    if code.startswith(("sroi.", "review.", "ranking.")) and code not in AS_TYPED:
        for key, kind in NAMED_PARAMS.items():
            if isinstance(params.get(key), str):
                own = params if key in ("block", "supplement", "purchase") else None
                words[key] = rule_name(kind, params[key], own)
    return str(TEXTS[code]) % words


def explain_all(reasons: Iterable[Reason | Mapping[str, Any] | str], separator: str = "; ") -> str:
    return separator.join(explain(reason) for reason in reasons)
