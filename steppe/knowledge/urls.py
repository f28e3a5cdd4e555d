"""Knowledge pages: actors, timelines (filled by the knowledge layer)."""

app_name = "knowledge"

urlpatterns: list = []
