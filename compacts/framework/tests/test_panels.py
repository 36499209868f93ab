"""The panel registry (compacts.core.panels) and its template tag, on the framework's pages."""

import pytest
from django.test import Client

from compacts.core import panels

pytestmark = pytest.mark.usefixtures("reference_data", "db")


@pytest.fixture
def registered(tmp_path, settings):
    (tmp_path / "test_panels").mkdir()
    (tmp_path / "test_panels/objective.html").write_text(
        '<section class="panel-test"><h2>Programmes</h2>'
        "<p>{{ label }} for objective {{ obj.number }}</p></section>"
    )
    (tmp_path / "test_panels/first.html").write_text('<p class="panel-first">first</p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]

    def context(*, request, obj):
        if obj.number == 1:
            return None  # nothing to show for this object
        return {"label": f"3 programmes ({request.method})"}

    panels.register_panel("gcm-objective", "test_panels/objective.html", context, order=50)
    panels.register_panel("gcm-objective", "test_panels/first.html", order=1)
    panels.register_panel("gcm-objective", "test_panels/first.html", order=1)  # twice: no-op
    yield
    panels.unregister_panel("gcm-objective", "test_panels/objective.html")
    panels.unregister_panel("gcm-objective", "test_panels/first.html")


def test_registered_panels_render_in_order_on_the_objective_page(registered):
    html = Client().get("/framework/gcm/objectives/15/").content.decode()
    assert "3 programmes (GET) for objective 15" in html
    assert html.count("panel-first") == 1
    assert html.index("panel-first") < html.index("panel-test")


def test_a_panel_whose_context_is_none_is_skipped(registered):
    html = Client().get("/framework/gcm/objectives/1/").content.decode()
    assert "panel-test" not in html
    assert "panel-first" in html


def test_without_panels_the_page_still_renders():
    assert [p for p in panels.panels_for("no-such-slot")] == []
    assert Client().get("/framework/countries/FR/").status_code == 200
