"""The home page in a real browser: English, then Arabic through the language switcher."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class HomeBrowserTests:
    def test_home_in_english_passes_axe(self, page, axe):
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Coordinating the Global Compacts on Migration and Refugees"
        )
        assert axe(page) == []

    def test_switching_to_arabic_turns_the_page_right_to_left(self, page, axe, snap):
        """Choosing العربية in the switcher reloads the same page in Arabic, right-to-left."""
        page.goto("/")
        page.get_by_label("Language").select_option("ar")
        page.get_by_role("button", name="Change").click()
        page.wait_for_load_state()
        html = page.locator("html")
        assert html.get_attribute("lang") == "ar"
        assert html.get_attribute("dir") == "rtl"
        assert page.get_by_role("heading", level=1).inner_text() == (
            "تنسيق الاتفاقين العالميين بشأن الهجرة واللاجئين"
        )
        assert axe(page) == []
        snap(page, "arabic")
        # Back to English from Arabic: the switcher's label is now translated.
        page.get_by_label("اللغة").select_option("en")
        page.get_by_role("button", name="تغيير").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "ltr"

    def test_skip_link_is_the_first_stop_of_the_keyboard(self, page):
        page.goto("/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Skip to main content"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

    def test_usable_on_a_phone_without_horizontal_scrolling(self, page):
        page.set_viewport_size({"width": 375, "height": 740})
        page.goto("/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
