"""Gateway pages about the fund, its donors and its programmes."""

urlpatterns: list = []
