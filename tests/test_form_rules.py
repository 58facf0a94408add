"""The pages' forms refuse what the API and the command line refuse (issue 22, one input layer):
dates outside 1900-2100, decimals with more places than stored or out of bounds. The message
stands beside the field (aria-invalid, its own id), in Dutch or English, and nothing is stored."""

from __future__ import annotations

import io
import re

from tests.factories import csrf_token, pdf
from tests.test_input_layer import HIRE, OBLIGATION, PURCHASE, contractor, stored  # noqa: F401 (fixture)

NEW = "/opdrachtnemer/verplichtingen/nieuw"


def field_error(html: str, field: str) -> str:
    """The message shown beside one field (the form macro gives it the id <field>-fout)."""
    found = re.search(rf'id="{field}-fout">([^<]*)<', html)
    assert found, f"no message beside {field}"
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field}"', html)
    return found.group(1).replace("&#39;", "'").replace("&amp;", "&")


def form_of(values: dict) -> dict:
    data = {key: value for key, value in values.items() if key != "kind"}
    data["cpv"] = " ".join(data["cpv"]) if isinstance(data.get("cpv"), list) else data.get("cpv", "")
    return data


OBLIGATION_CASES = [
        ("ends_on", "9999-12-31", "tussen 1900 en 2100", "between 1900 and 2100"),
        ("starts_on", "1899-12-31", "tussen 1900 en 2100", "between 1900 and 2100"),
        ("percentage", "0.001", "hoogstens 2 cijfers achter de komma", "2 decimal"),
        ("percentage", "0,005", "hoogstens 2 cijfers achter de komma", "2 decimal"),
        ("percentage", "100.5", "tussen", "between"),
        ("percentage", "0", "tussen", "between"),
        ("percentage", "1E-1000000", "getal", "number"),
        ("contract_value_excl_vat", "12000,001", "hele centen", "cent"),
        ("contract_value_excl_vat", "-5", "groter dan nul", "more than zero"),
]


def test_the_obligation_form_refuses_beside_the_field_in_both_languages(contractor) -> None:  # noqa: F811
    client, _ = contractor
    before = stored()
    for field, value, dutch, english in OBLIGATION_CASES:
        for language, words in (("nl", dutch), ("en", english)):
            data = {**form_of(OBLIGATION), field: value, "csrf_token": csrf_token(client, NEW)}
            response = client.post(f"{NEW}?lang={language}", data=data)
            assert response.status_code == 200  # the form again, with the message; never a 500
            message = field_error(response.get_data(as_text=True), field)
            assert words.lower() in message.lower(), (field, value, language, message)
    assert stored() == before


CONTRIBUTION_CASES = [
        ("purchase", {**PURCHASE, "invoice_date": "9999-12-31"}, "invoice_date", "tussen 1900 en 2100", "between 1900 and 2100"),
        ("purchase", {**PURCHASE, "amount_excl_vat": "12,3456"}, "amount_excl_vat", "hele centen", "cent"),
        ("hire", {**HIRE, "end": "2101-01-01"}, "end", "tussen 1900 en 2100", "between 1900 and 2100"),
        ("hire", {**HIRE, "hours_per_week": "0.001"}, "hours_per_week", "achter de komma", "decimal"),
        ("hire", {**HIRE, "hours_per_week": "61"}, "hours_per_week", "uren", "hours"),
        ("activity", {"kind": "activity", "hours": "0.001"}, "hours", "achter de komma", "decimal"),
        ("activity", {"kind": "activity", "hours": "10000.01"}, "hours", "uren", "hours"),
]  # fmt: skip


def test_contribution_forms_refuse_beside_the_field_in_both_languages(contractor) -> None:  # noqa: F811
    client, obligation_id = contractor
    page = f"/opdrachtnemer/verplichtingen/{obligation_id}"
    before = stored()
    for kind, values, field, dutch, english in CONTRIBUTION_CASES:
        for language, words in (("nl", dutch), ("en", english)):
            data = {key: value for key, value in values.items() if key != "kind"}
            response = client.post(f"{page}/bijdragen/{kind}?lang={language}",
                                   data={**data, "csrf_token": csrf_token(client, page)})  # fmt: skip
            assert response.status_code == 400
            message = field_error(response.get_data(as_text=True), field)
            assert words.lower() in message.lower(), (kind, field, language, message)
    assert stored() == before


def test_values_within_the_rules_still_pass_the_forms(contractor) -> None:  # noqa: F811
    client, obligation_id = contractor
    data = {**form_of(OBLIGATION), "percentage": "4,25", "contract_value_excl_vat": "1.000.000,50",
            "ends_on": "2100-12-31", "csrf_token": csrf_token(client, NEW)}  # fmt: skip
    assert client.post(NEW, data=data).status_code == 302
    page = f"/opdrachtnemer/verplichtingen/{obligation_id}"
    hire = {key: value for key, value in HIRE.items() if key != "kind"}
    documents = {"document_target_group_statement": (io.BytesIO(pdf("Doelgroepverklaring")), "verklaring.pdf"),
                 "document_employment_contract": (io.BytesIO(pdf("Arbeidsovereenkomst")), "contract.pdf")}  # fmt: skip
    response = client.post(f"{page}/bijdragen/hire", data={**hire, **documents, "hours_per_week": "20,5",
                                                          "csrf_token": csrf_token(client, page)},
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert stored() == (2, 1)
