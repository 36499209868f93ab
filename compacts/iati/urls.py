app_name = "iati"
urlpatterns: list = []
