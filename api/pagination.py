"""Bounded pages: 50 rows by default, at most 200 with ?page_size; a bad page is a 400.

DRF answers page=0 or page=abc with a 404 and quietly ignores a bad page_size: here both are
field errors, checked before any query, and documented with their bounds in the schema.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from inspections.numbers import ascii_int

MAX_PAGE = 1_000_000


class BoundedPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = ascii_int(raw, maximum=self.max_page_size)
        if size is None:
            message = _("Số dòng mỗi trang phải là số nguyên từ 1 đến %(max)s.") % {
                "max": self.max_page_size
            }
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    def requested_page(self, request: Request) -> int:
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        number = ascii_int(raw, maximum=MAX_PAGE)
        if number is None:
            message = _("Số trang phải là số nguyên từ 1 đến %(max)s.") % {"max": MAX_PAGE}
            raise ValidationError({self.page_query_param: [message]})
        return number

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        page_size = self.get_page_size(request)
        number = self.requested_page(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            message = _("Không có trang %(page)s: chỉ có %(pages)s trang.") % {
                "page": number,
                "pages": paginator.num_pages,
            }
            raise ValidationError({self.page_query_param: [message]}) from None
        return list(self.page)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        described = {
            self.page_query_param: (_("Số trang, từ 1."), MAX_PAGE),
            self.page_size_query_param: (
                _("Số dòng mỗi trang, từ 1 đến 200 (mặc định 50)."),
                self.max_page_size,
            ),
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            text, maximum = described[parameter["name"]]
            parameter["description"] = text
            parameter["schema"].update({"minimum": 1, "maximum": maximum})
        return parameters
