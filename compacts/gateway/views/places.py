"""Gateway pages about places and themes: countries, regions, objectives, the 360-degree view,
the map, the health lens and the landscape of other publishers."""

urlpatterns: list = []
