"""The public gateway's addresses: the fund and its programmes (``views/fund.py``) and the
places and themes they serve (``views/places.py``). Each views module ends with its own
``urlpatterns``."""

from compacts.gateway.views import fund, places

app_name = "gateway"
urlpatterns = [*fund.urlpatterns, *places.urlpatterns]
