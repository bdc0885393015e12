"""The workbench's URLs and the bare view (``bench/bare/``) the check-in burst is compared with."""
from django.urls import path
from workbench.urls import urlpatterns as workbench_urls

from .bare import write_one_row

urlpatterns = [path("bench/bare/", write_one_row, name="bench_bare")] + list(workbench_urls)
