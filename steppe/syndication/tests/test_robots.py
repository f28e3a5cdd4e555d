import pytest

pytestmark = pytest.mark.django_db


def test_robots_txt_points_at_the_sitemaps_and_keeps_crawlers_out_of_private_paths(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert {"Disallow: /admin/", "Disallow: /recherche/", "Disallow: /en/recherche/"} <= set(lines)
    assert not any(line.strip() == "Disallow: /" for line in lines)


def test_robots_txt_is_the_same_in_every_language(client):
    french = client.get("/robots.txt").content
    assert client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="en").content == french
    assert client.get("/en/robots.txt").status_code == 404


def test_sitemap_urls_in_robots_txt_answer(client):
    for line in client.get("/robots.txt").content.decode().splitlines():
        if line.startswith("Sitemap: "):
            path = line.removeprefix("Sitemap: http://testserver")
            assert client.get(path).status_code == 200, path


def test_robots_txt_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/robots.txt")
