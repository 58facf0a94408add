"""Accounts: register with e-mail confirmation, reset a password, delete an account, rate limits."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from marketplace.accounts import services as accounts_service
from marketplace.accounts.models import User
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from tests.factories import PASSWORD, csrf_token, last_mail_to, login, outbox, post_form, user

NEW = {"name": "Sanne de Vries", "email": "sanne@gemeente.example", "role": "procurer", "public_body": "Gemeente Enschede",
       "password": "een-heel-goed-wachtwoord", "password_again": "een-heel-goed-wachtwoord"}  # fmt: skip


def link_in(message) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"https://\S+", message.get_content()).group(0).replace("https://impactmarkt.test", "")


def test_register_confirm_and_log_in(app, client) -> None:
    response = post_form(client, "/registreren", NEW)
    assert response.status_code == 200 and "Kijk in uw e-mail" in response.get_data(as_text=True)
    refused = login(client, NEW["email"], NEW["password"])
    assert "Bevestig eerst uw e-mailadres" in refused.get_data(as_text=True)
    confirm = client.get(link_in(last_mail_to(app, NEW["email"])))
    assert confirm.status_code == 302
    assert client.get("/inkoper/").status_code == 200  # confirmed, signed in, with the chosen role
    created = db.session.scalar(select(User).where(User.email == NEW["email"]))
    assert (
        created.public_body == "Gemeente Enschede"
        and created.has_role("procurer")
        and not created.has_role("admin")
    )


def test_registering_a_taken_address_reveals_nothing_and_creates_nothing(app, client) -> None:
    user("bestaand@gemeente.example", "procurer")
    response = post_form(client, "/registreren", {**NEW, "email": "bestaand@gemeente.example"})
    assert "Kijk in uw e-mail" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert "bestaat al" in last_mail_to(app, "bestaand@gemeente.example").get_content()


def test_nobody_registers_as_coordinator_or_admin(client) -> None:
    response = post_form(client, "/registreren", {**NEW, "role": "admin"})
    assert response.status_code == 200 and "Kijk in uw e-mail" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_password_reset_works_once(app, client) -> None:
    user("a@gemeente.example", "procurer")
    post_form(client, "/wachtwoord-vergeten", {"email": "a@gemeente.example"})
    link = link_in(last_mail_to(app, "a@gemeente.example"))
    changed = post_form(
        client, link, {"password": "nieuw-wachtwoord-123", "password_again": "nieuw-wachtwoord-123"}
    )
    assert changed.status_code == 302
    assert client.get(link).status_code == 302  # the same link no longer works
    assert login(client, "a@gemeente.example", "nieuw-wachtwoord-123").status_code == 302
    # Asking for an unknown address looks the same and sends nothing.
    before = len(outbox(app))
    assert "Kijk in uw e-mail" in post_form(
        client, "/wachtwoord-vergeten", {"email": "niemand@x.example"}
    ).get_data(as_text=True)
    assert len(outbox(app)) == before


def test_deleting_an_account_removes_personal_data_and_keeps_the_audit_trail(client) -> None:
    user("weg@gemeente.example", "procurer")
    login(client, "weg@gemeente.example")
    wrong = post_form(client, "/account/verwijderen", {"password": "niet-mijn-wachtwoord"})
    assert "Er is niets verwijderd" in wrong.get_data(as_text=True)
    assert post_form(client, "/account/verwijderen", {"password": PASSWORD}).status_code == 302
    gone = db.session.scalar(select(User).where(User.email.like("verwijderd-%")))
    assert gone.password_hash is None and gone.display_name.startswith("Verwijderd") and not gone.roles
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "account.delete"))
    assert entry.actor_id == gone.id
    assert login(client, "weg@gemeente.example").status_code == 200  # cannot log in any more


def test_login_is_rate_limited_per_account_with_a_clear_message(client) -> None:
    user("a@gemeente.example", "procurer")
    user("b@gemeente.example", "procurer")
    statuses = [login(client, "a@gemeente.example", "fout-wachtwoord-000").status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429
    assert "te vaak geprobeerd" in login(client, "a@gemeente.example").get_data(as_text=True)
    # A colleague behind the same office address is not locked out by it.
    assert login(client, "b@gemeente.example").status_code == 302


def test_login_is_rate_limited_per_address_too(client) -> None:
    statuses = {login(client, f"x{n}@elders.example", "fout-wachtwoord-000").status_code for n in range(61)}
    assert statuses == {200, 429}


def test_users_add_and_remove_a_role_with_clear_messages(app) -> None:
    from sqlalchemy import select

    from marketplace.accounts.models import User
    from marketplace.core.audit_model import AuditLogEntry
    from marketplace.core.extensions import db
    from tests.factories import user

    user("iemand@gemeente.example", "procurer")
    runner = app.test_cli_runner()
    added = runner.invoke(args=["users", "add-role", "--email", "iemand@gemeente.example", "--role", "coordinator",
                                "--region", "Twente"])  # fmt: skip
    assert added.exit_code == 0, added.output
    again = runner.invoke(
        args=["users", "add-role", "--email", "iemand@gemeente.example", "--role", "procurer"]
    )
    assert (
        again.exit_code != 0
        and "heeft de rol procurer al" in again.output
        and "Traceback" not in again.output
    )
    for arguments, words in ((["--role", "coordinator"], "regio"), (["--role", "koning"], "koning"),
                             (["--role", "coordinator", "--region", "Atlantis"], "Atlantis")):  # fmt: skip
        refused = runner.invoke(args=["users", "add-role", "--email", "iemand@gemeente.example", *arguments])
        assert refused.exit_code != 0 and words in refused.output, arguments
    unknown = runner.invoke(args=["users", "add-role", "--email", "niemand@x.example", "--role", "procurer"])
    assert unknown.exit_code != 0 and "geen account" in unknown.output
    removed = runner.invoke(
        args=["users", "remove-role", "--email", "iemand@gemeente.example", "--role", "procurer"]
    )
    assert removed.exit_code == 0, removed.output
    missing = runner.invoke(
        args=["users", "remove-role", "--email", "iemand@gemeente.example", "--role", "procurer"]
    )
    assert missing.exit_code != 0 and "heeft de rol procurer niet" in missing.output
    db.session.expire_all()
    person = db.session.scalar(select(User).where(User.email == "iemand@gemeente.example"))
    assert [(r.role, r.region.name if r.region else None) for r in person.roles] == [
        ("coordinator", "Twente")
    ]
    actions = db.session.scalars(
        select(AuditLogEntry.action).where(AuditLogEntry.subject_type == "user")
    ).all()
    assert actions == ["account.role_added", "account.role_removed"]


def test_my_account_shows_roles_and_changes_name_email_and_password(app, client) -> None:
    user("an@gemeente.example", "procurer")
    login(client, "an@gemeente.example")
    page = client.get("/account").get_data(as_text=True)
    assert "an@gemeente.example" in page and "inkoper" in page and 'href="/account/verwijderen"' in page
    assert post_form(client, "/account/naam", {"name": "An Jansen"}, page="/account").status_code == 302
    assert db.session.scalar(select(User.display_name)) == "An Jansen"
    # A wrong password changes nothing; the right one sends a link to the new address first.
    wrong = post_form(client, "/account/e-mail", {"new_email": "an@nieuw.example", "confirm_password": "fout-wachtwoord"}, page="/account")
    assert wrong.status_code == 400 and "klopt niet" in wrong.get_data(as_text=True)
    post_form(client, "/account/e-mail", {"new_email": "an@nieuw.example", "confirm_password": PASSWORD}, page="/account")
    assert db.session.scalar(select(User.email)) == "an@gemeente.example"
    link = re.search(r"https://\S+", last_mail_to(app, "an@nieuw.example").get_content()).group(0)
    assert client.get(link.replace("https://impactmarkt.test", "")).status_code == 302
    assert db.session.scalar(select(User.email)) == "an@nieuw.example"
    assert "an@nieuw.example" in last_mail_to(app, "an@gemeente.example").get_content()  # the old address is told
    bad = post_form(client, "/account/wachtwoord", {"current": PASSWORD, "password": "kort", "password_again": "kort"}, page="/account")
    assert bad.status_code == 400
    post_form(client, "/account/wachtwoord", {"current": PASSWORD, "password": "nieuw-wachtwoord-456",
                                              "password_again": "nieuw-wachtwoord-456"}, page="/account")  # fmt: skip
    client.post("/uitloggen", data={"csrf_token": ""})
    assert login(client.application.test_client(), "an@nieuw.example", "nieuw-wachtwoord-456").status_code == 302
    actions = db.session.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.id)).all()
    assert actions == ["account.name", "account.email", "account.password"]


def test_download_my_data_holds_what_we_keep_about_me(app, client) -> None:
    user("an@gemeente.example", "procurer")
    login(client, "an@gemeente.example")
    post_form(client, "/lijsten/", {"name": "Schoonmaak 2027"}, page="/lijsten/")
    response = client.get("/account/mijn-gegevens.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["account"]["email"] == "an@gemeente.example"
    assert data["roles"] == [{"role": "procurer", "region": None}]
    assert [shortlist["name"] for shortlist in data["shortlists"]] == ["Schoonmaak 2027"]
    assert client.application.test_client().get("/account/mijn-gegevens.json").status_code == 302  # signed out


def _copy_of_the_cookies(app, client):  # type: ignore[no-untyped-def]
    """What a thief has: another browser holding the same cookies, copied at this moment."""
    thief = app.test_client()
    for cookie in client._cookies.values():
        thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def test_a_cookie_copied_before_logout_no_longer_signs_in(app, client) -> None:
    # Issue 22: a session cookie copied before logout still worked afterwards.
    user("an@gemeente.example", "procurer")
    login(client, "an@gemeente.example")
    thief = _copy_of_the_cookies(app, client)
    assert thief.get("/account").status_code == 200  # the copy works while the session lives
    assert post_form(client, "/uitloggen", {}, page="/account").status_code == 302
    assert thief.get("/account").status_code == 302  # sent to the login page
    assert client.get("/account").status_code == 302
    assert login(client, "an@gemeente.example").status_code == 302  # signing in again works
    assert client.get("/account").status_code == 200 and thief.get("/account").status_code == 302


def test_a_cookie_copied_before_a_password_change_cannot_change_it_back(app, client) -> None:
    user("an@gemeente.example", "procurer")
    login(client, "an@gemeente.example")
    thief = _copy_of_the_cookies(app, client)
    token = csrf_token(thief, "/account")
    new = "nieuw-wachtwoord-456"
    post_form(client, "/account/wachtwoord", {"current": PASSWORD, "password": new, "password_again": new}, page="/account")
    assert client.get("/account").status_code == 200  # the session that changed it carries on
    assert thief.get("/account").status_code == 302
    back = thief.post("/account/wachtwoord", data={"csrf_token": token, "current": new, "password": PASSWORD,
                                                  "password_again": PASSWORD})  # fmt: skip
    assert back.status_code in (302, 400) and "/inloggen" in back.headers.get("Location", "/inloggen")
    assert login(app.test_client(), "an@gemeente.example", new).status_code == 302
    assert login(app.test_client(), "an@gemeente.example", PASSWORD).status_code == 200  # refused


def test_a_reset_password_ends_every_session(app, client) -> None:
    user("an@gemeente.example", "procurer")
    login(client, "an@gemeente.example")
    account = db.session.scalar(select(User).where(User.email == "an@gemeente.example"))
    accounts_service.set_password(account, "via-de-herstel-link-789")
    assert client.get("/account").status_code == 302
def test_each_role_starts_where_its_work_is_after_login(app) -> None:
    user("inkoper@gemeente.example", "procurer")
    user("aannemer@bouw.example", "contractor")
    user("ondernemer@sociaal.example", "entrepreneur")
    user("coordinator@twente.example", "coordinator", regions=("Twente",))
    expected = {
        "inkoper@gemeente.example": "/inkoper/",
        "aannemer@bouw.example": "/opdrachtnemer/",
        "ondernemer@sociaal.example": "/ondernemer/",
        "coordinator@twente.example": "/coordinator/wachtrij",
    }
    for email, start in expected.items():
        with app.test_client() as client:
            response = login(client, email)
            assert response.status_code == 302 and response.headers["Location"] == start, email
            assert client.get(start).status_code == 200


def test_login_and_confirmation_bring_people_back_where_they_were_going(app, client) -> None:
    user("inkoper@gemeente.example", "procurer")
    response = client.post(
        "/inloggen?next=/lijsten/",
        data={"email": "inkoper@gemeente.example", "password": PASSWORD, "csrf_token": csrf_token(client, "/inloggen?next=/lijsten/")},
    )
    assert response.headers["Location"] == "/lijsten/"
    elsewhere = client.post(
        "/inloggen?next=//elders.example/",
        data={"email": "inkoper@gemeente.example", "password": PASSWORD, "csrf_token": csrf_token(client, "/inloggen")},
    )
    assert elsewhere.headers["Location"] == "/inkoper/"  # never another site: the role's own start

    with app.test_client() as new:
        post_form(new, "/registreren?next=/inkoopvragen/nieuw", {**NEW, "email": "nieuw@gemeente.example"})
        confirmed = new.get(link_in(last_mail_to(app, "nieuw@gemeente.example")))
        assert confirmed.headers["Location"] == "/inkoopvragen/nieuw"
    with app.test_client() as plain:
        post_form(plain, "/registreren", {**NEW, "email": "ander@aannemer.example", "role": "contractor"})
        confirmed = plain.get(link_in(last_mail_to(app, "ander@aannemer.example")))
        assert confirmed.headers["Location"] == "/opdrachtnemer/"


def test_the_language_someone_signs_up_in_stays_theirs_on_pages_and_in_mails(app, client) -> None:
    """Signing up from an English page makes English the account's language: the confirmation mail,
    the pages after confirming and after a later login, and mails sent by jobs (which read
    User.locale). Choosing the other language from the menu while signed in changes it."""
    english = {**NEW, "email": "sam@council.example"}
    post_form(client, "/registreren?lang=en", english)
    mail = last_mail_to(app, english["email"])
    assert "Confirm your email address" in mail["Subject"]
    landed = client.get(link_in(mail), follow_redirects=True)
    assert '<html lang="en"' in landed.get_data(as_text=True)
    assert db.session.scalar(select(User.locale).where(User.email == english["email"])) == "en"
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/inkoper/")})
    with app.test_client() as fresh:
        login(fresh, english["email"], english["password"])
        assert '<html lang="en"' in fresh.get("/inkoper/").get_data(as_text=True)
        fresh.get("/taal/nl?next=/inkoper/")
        assert db.session.scalar(select(User.locale).where(User.email == english["email"])) == "nl"
        assert '<html lang="nl"' in fresh.get("/inkoper/").get_data(as_text=True)


def test_a_password_is_hashed_with_argon2id_at_the_set_costs_and_renewed_when_they_change(app, client) -> None:
    """The test app hashes cheaply (tests/conftest.py; production uses RFC 9106's low-memory
    profile, tests/test_settings.py). A hash made with other costs than the settings name is made
    again at the next successful login, and a wrong password changes nothing."""
    user("kosten@gemeente.example", "procurer")
    stored = db.session.scalar(select(User.password_hash).where(User.email == "kosten@gemeente.example"))
    assert stored.startswith("$argon2id$v=19$m=64,t=1,p=1$")
    app.config.update(PASSWORD_HASH_TIME_COST=2, PASSWORD_HASH_MEMORY_KIB=128)
    assert login(client, "kosten@gemeente.example", "fout-wachtwoord-000").status_code == 200
    db.session.remove()
    assert db.session.scalar(select(User.password_hash).where(User.email == "kosten@gemeente.example")) == stored
    assert login(client, "kosten@gemeente.example").status_code == 302
    db.session.remove()
    renewed = db.session.scalar(select(User.password_hash).where(User.email == "kosten@gemeente.example"))
    assert renewed.startswith("$argon2id$v=19$m=128,t=2,p=1$")
