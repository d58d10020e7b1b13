"""Bounded pages: 50 rows by default, at most 200 with ?page_size."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class BoundedPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
