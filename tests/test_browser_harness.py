import pytest

from tests.browser import screenshot, serious_accessibility_violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_renders_a_page_served_by_the_live_server(live_server, browser_page):
    schema = browser_page.request.get(f"{live_server.url}/api/schema/?format=json")
    assert schema.ok and "openapi" in schema.json()
    browser_page.goto(f"{live_server.url}/admin/login/")
    assert browser_page.locator("input[name=username]").count() == 1
    assert screenshot(browser_page, "admin-login").stat().st_size > 1000
    # The axe check finds real violations: a page with an unlabelled input and no language fails it.
    browser_page.set_content("<html><body><input type='text'><img src='x.png'></body></html>")
    assert any(v.startswith(("label", "image-alt")) for v in serious_accessibility_violations(browser_page))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_offline_from_local_assets(live_server, browser_page):
    external = []
    browser_page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    browser_page.goto(f"{live_server.url}/api/docs/")
    browser_page.wait_for_selector(".swagger-ui .info", timeout=20_000)
    assert "API" in browser_page.locator(".swagger-ui .info").inner_text()
    assert external == []
