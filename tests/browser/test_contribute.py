"""End to end, in Chromium: a contributor signs up and publishes through an editor.

sign up → verification e-mail read from the test SMTP server → verify → write an article with an
image → submit → the editor signs in (password + TOTP) → publishes → the article is on the home page
and on the author's profile.
"""

import re

import pytest
from PIL import Image

from conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Caravanes-et-steppes-2026"


@pytest.fixture
def site(reference_data, live_server, smtp_server, settings):
    settings.STEPPE_SITE_URL = live_server.url
    return live_server


def test_signup_write_submit_and_publish(
    site, smtp_server, editor, page_factory, output_dir, tmp_path
):
    page = page_factory("phone")

    def shot(name: str) -> None:
        page.screenshot(path=str(output_dir / f"contribute-{name}.png"), full_page=True)

    page.goto(site.url + "/compte/signup/")
    page.fill("#id_email", "bolat@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_display_name", "Bolat Seitkali")
    page.select_option("#id_kind", "association")
    page.fill("#id_organisation", "Amis du Syr-Daria")
    shot("1-signup")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    shot("2-verification-sent")

    body = smtp_server.to("bolat@example.org")[-1].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/compte/confirm-email/\S+/", body)[0]
    page.goto(link)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/tableau-de-bord/"))
    shot("3-dashboard")

    page.click("text=Écrire un article")
    page.fill("#id_title", "Les jardins du Syr-Daria")
    page.fill("#id_lead", "Des maraîchers de Kyzylorda racontent une saison sans eau.")
    page.select_option("#id_kind", "news")
    page.select_option("#id_countries", label="Kazakhstan")
    page.fill(
        "#id_body_source",
        "Au printemps, le fleuve est arrivé tard.\n\n## Une saison courte\n\nLes semis ont attendu.",
    )
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r"/contribuer/articles/\d+/"))

    picture = tmp_path / "fleuve.png"
    Image.new("RGB", (1400, 900), (40, 110, 130)).save(picture)
    page.set_input_files("#id_image", str(picture))
    page.fill("#id_caption", "Le fleuve à Kyzylorda")
    page.click("text=Ajouter l’image")
    page.wait_for_load_state()
    code = page.locator(".image-list code").first.inner_text()
    body_field = page.locator("#id_body_source")
    body_field.fill(body_field.input_value() + "\n\n" + code)
    page.click("button[name=preview]")
    page.wait_for_selector("#preview figure img")
    shot("4-editor-preview")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(r"/tableau-de-bord/"))
    shot("5-submitted")
    assert "Les jardins du Syr-Daria" in page.locator("#section-submitted ~ ul").inner_text()

    page.click("text=Se déconnecter")
    page.goto(site.url + "/compte/login/")
    page.fill("#id_login", editor.email)
    page.fill("#id_password", "un-mot-de-passe-solide")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector("#id_code")
    page.fill("#id_code", totp_code())
    shot("6-totp")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/tableau-de-bord/"))
    page.goto(site.url + "/moderation/")
    shot("7-queue")
    page.click("text=Les jardins du Syr-Daria")
    page.click("button:has-text('Publier')")
    page.wait_for_url(re.compile(r"/moderation/$"))
    shot("8-published")

    page.goto(site.url + "/")
    assert "Les jardins du Syr-Daria" in page.content()
    page.click("text=Les jardins du Syr-Daria")
    assert page.locator("figure img").count() == 1
    assert page.locator("figcaption").inner_text() == "Le fleuve à Kyzylorda"
    shot("9-article")
    page.click("a[rel=author]")
    assert "Les jardins du Syr-Daria" in page.content()
    assert "Amis du Syr-Daria" in page.content()
    shot("10-profile")
    assert page_factory.foreign_requests == []
