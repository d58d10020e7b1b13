"""What every API view shares: permissions, row lookup that 404s, filters, uploads, docs."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django_filters import FilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request

from api.errors import ErrorSerializer
from api.permissions import WritesNeedAWritingRole
from inspections.numbers import MAX_ID
from inspections.photos import max_bytes
from inspections.selectors.filters import NumberFilter

M = TypeVar("M", bound=Model)

_ERROR_TEXT = {
    400: "Dữ liệu không hợp lệ (lỗi theo từng trường trong errors)",
    401: "Chưa đăng nhập",
    403: "Không được phép",
    404: "Không tìm thấy, hoặc không thuộc quyền xem",
    409: "Trạng thái không cho phép thao tác này",
    413: "Tệp vượt quá giới hạn dung lượng hoặc số điểm ảnh",
    415: "Định dạng tệp không được chấp nhận",
    429: "Quá nhiều yêu cầu; thử lại sau số giây trong Retry-After",
}


def errors(*codes: int) -> dict[int, Any]:
    """Documented error responses for @extend_schema, all with the one error body."""
    from drf_spectacular.utils import OpenApiResponse

    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_ERROR_TEXT[code])
        for code in codes
    }


class ApiView(GenericAPIView[Any]):
    permission_classes = [WritesNeedAWritingRole]


def not_found() -> NotFound:
    return NotFound(_("Không tìm thấy."))


def get_visible(queryset: QuerySet[M], pk: object) -> M:
    """The row with this id among those the user may see; anything else is a 404."""
    field = queryset.model._meta.pk
    assert field is not None
    try:
        value = field.to_python(pk)
    except (DjangoValidationError, TypeError, ValueError):
        raise not_found() from None
    if isinstance(value, int) and not 0 < value <= MAX_ID:
        raise not_found()
    found = queryset.filter(pk=value).first()
    if found is None:
        raise not_found()
    return found


def query_filters(request: Request, serializer_class: type[serializers.Serializer[Any]]) -> Any:
    """Validated query parameters of a view that is not a list (e.g. the ranking's group)."""
    given = {k: v for k, v in request.query_params.items() if k in serializer_class().fields}
    serializer = serializer_class(data=given)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def filter_parameters(filterset: type[FilterSet]) -> list[OpenApiParameter]:
    """The query parameters of a list, documented from the FilterSet the web pages share."""
    found = []
    for name, item in filterset.base_filters.items():
        choices = getattr(item, "extra", {}).get("choices")
        kind = OpenApiTypes.INT if isinstance(item, NumberFilter) else OpenApiTypes.STR
        found.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                description=str(item.label or ""),
                enum=[value for value, _label in choices] if choices else None,
            )
        )
    return found


def read_upload(upload: UploadedFile) -> bytes:
    """The bytes of an upload, read no further than one byte past the limit (then refused)."""
    return bytes(upload.read(max_bytes() + 1))
