"""The demo's URLs: our front page (``index``), then everything of the workbench's."""
from django.urls import re_path
from workbench.urls import urlpatterns as workbench_urls

from .index import index

urlpatterns = [re_path(r"^$", index, name="workbench_index")] + list(workbench_urls)
