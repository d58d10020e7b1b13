"""What each kind of notification says: what happened, what to do, by when, and where.

A notification stores facts (names, dates, codes, ids); this module writes them out in the
language active when it is read (a page, the API, an e-mail in the recipient's language).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspections import display
from inspections.models import Category, Notification
from inspections.models.catalogue import in_language


@dataclass(frozen=True)
class Notice:
    title: str
    body: str
    todo: str
    link: str  # a path on this site


Writer = Callable[[Mapping[str, Any]], tuple[str, str, str]]


def _date(value: Any) -> str:
    if not value:
        return ""
    day = datetime.date.fromisoformat(str(value)[:10])
    return day.strftime("%d/%m/%Y")


def _score(d: Mapping[str, Any]) -> str:
    """A stored score ("92.50"; older notifications kept "92,50") in the reader's form."""
    return display.number(d.get("score"))


def _class(d: Mapping[str, Any]) -> str:
    return in_language(d.get("classification", ""), d.get("classification_en", "")) or "—"


def _criterion(d: Mapping[str, Any]) -> str:
    text = in_language(d.get("criterion_text", ""), d.get("criterion_text_en", ""))
    return f"{d['criterion']} — {text}" if text else str(d["criterion"])


def _units(data: Mapping[str, Any]) -> str:
    names = list(data.get("units", []))
    shown = ", ".join(names[:5])
    more = len(names) - 5
    if more > 0:
        shown += " " + ngettext("và %(n)d đơn vị khác", "và %(n)d đơn vị khác", more) % {"n": more}
    return shown


def _assigned(d: Mapping[str, Any]) -> tuple[str, str, str]:
    n = len(d.get("units", []))
    return (
        ngettext(
            "Bạn được phân công kiểm tra %(n)d đơn vị",
            "Bạn được phân công kiểm tra %(n)d đơn vị",
            n,
        )
        % {"n": n},
        _("Đợt “%(round)s”: %(units)s.") % {"round": d["round"], "units": _units(d)},
        _("Hãy lập và nộp phiếu kiểm tra trước ngày %(due)s.") % {"due": _date(d["due_on"])},
    )


def _round_opened(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Đợt kiểm tra “%(round)s” đã mở") % {"round": d["round"]},
        _("Đợt kiểm tra diễn ra từ %(start)s đến %(end)s.")
        % {"start": _date(d["starts_on"]), "end": _date(d["ends_on"])},
        _("Hãy hoàn thành các phiếu được phân công trước ngày %(end)s.")
        % {"end": _date(d["ends_on"])},
    )


def _round_closed_drafts(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Đợt kiểm tra “%(round)s” đã khóa") % {"round": d["round"]},
        _("Phiếu đang chấm của bạn không còn sửa hay nộp được: %(units)s.") % {"units": _units(d)},
        _("Nếu cần nộp bổ sung, hãy liên hệ Phòng Nội vụ."),
    )


def _round_ending(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Còn 3 ngày: phiếu kiểm tra %(unit)s chưa nộp") % {"unit": d["unit"]},
        _("Đợt “%(round)s”: hạn nộp phiếu kiểm tra %(unit)s là ngày %(due)s.")
        % {"round": d["round"], "unit": d["unit"], "due": _date(d["due_on"])},
        _("Hãy hoàn thành và nộp phiếu trước ngày %(due)s.") % {"due": _date(d["due_on"])},
    )


def _returned(d: Mapping[str, Any]) -> tuple[str, str, str]:
    criteria = ", ".join(d.get("criteria", [])) or _("không nêu")
    return (
        _("Phiếu kiểm tra %(unit)s bị trả lại") % {"unit": d["unit"]},
        _(
            "Phòng Nội vụ trả lại phiếu (đợt “%(round)s”). Lý do: %(reason)s "
            "Tiêu chí cần xem lại: %(criteria)s."
        )
        % {"round": d["round"], "reason": d["reason"], "criteria": criteria},
        _("Hãy sửa phiếu và nộp lại trước ngày %(due)s.") % {"due": _date(d["due_on"])},
    )


def _approved(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Phiếu kiểm tra %(unit)s đã được duyệt") % {"unit": d["unit"]},
        _("Đợt “%(round)s”: %(score)s điểm, xếp loại %(class)s.")
        % {"round": d["round"], "score": _score(d), "class": _class(d)},
        _("Không cần làm gì thêm; các yêu cầu khắc phục (nếu có) đã được gửi tới đơn vị."),
    )


def _revised(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Kết quả phiếu kiểm tra %(unit)s đã được điều chỉnh") % {"unit": d["unit"]},
        _("Lần điều chỉnh %(revision)s. Lý do: %(reason)s Kết quả mới: %(score)s điểm, %(class)s.")
        % {
            "revision": d["revision"],
            "reason": d["reason"],
            "score": _score(d),
            "class": _class(d),
        },
        _("Hãy xem lại kết quả đã điều chỉnh."),
    )


def _unit_result(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Kết quả kiểm tra của %(unit)s đã được duyệt") % {"unit": d["unit"]},
        _("Đợt “%(round)s”: %(score)s điểm, xếp loại %(class)s.")
        % {"round": d["round"], "score": _score(d), "class": _class(d)},
        _("Hãy xem kết quả và các yêu cầu khắc phục của đơn vị."),
    )


def _ranking(d: Mapping[str, Any]) -> tuple[str, str, str]:
    rank = d.get("rank")
    where = (
        _("%(unit)s xếp hạng %(rank)s trong %(group)s.")
        % {"unit": d["unit"], "rank": rank, "group": d["group"]}
        if rank
        else _("%(unit)s chưa được xếp hạng trong đợt này.") % {"unit": d["unit"]}
    )
    return (
        _("Bảng xếp hạng đợt “%(round)s” đã công bố") % {"round": d["round"]},
        where,
        _("Hãy xem bảng xếp hạng."),
    )


def _ranking_summary(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Bảng xếp hạng đợt “%(round)s” đã công bố") % {"round": d["round"]},
        _("%(ranked)s đơn vị được xếp hạng trong %(groups)s khối thi đua.")
        % {"ranked": d["ranked"], "groups": d["groups"]},
        _("Hãy xem bảng xếp hạng."),
    )


def _action_opened(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Yêu cầu khắc phục mới: %(criterion)s") % {"criterion": _criterion(d)},
        _("%(unit)s cần khắc phục: %(finding)s")
        % {"unit": d["unit"], "finding": d.get("finding") or _criterion(d)},
        _("Hãy khắc phục và gửi báo cáo có ảnh minh chứng trước ngày %(due)s.")
        % {"due": _date(d["due_on"])},
    )


def _action_due_soon(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Còn 3 ngày: yêu cầu khắc phục %(criterion)s") % {"criterion": _criterion(d)},
        _("Yêu cầu khắc phục của %(unit)s đến hạn ngày %(due)s.")
        % {"unit": d["unit"], "due": _date(d["due_on"])},
        _("Hãy gửi báo cáo khắc phục trước ngày %(due)s.") % {"due": _date(d["due_on"])},
    )


def _action_overdue(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Quá hạn: yêu cầu khắc phục %(criterion)s") % {"criterion": _criterion(d)},
        _("Yêu cầu khắc phục của %(unit)s đã quá hạn ngày %(due)s.")
        % {"unit": d["unit"], "due": _date(d["due_on"])},
        _("Hãy gửi báo cáo khắc phục ngay."),
    )


def _action_overdue_copy(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("%(unit)s quá hạn khắc phục %(days)s ngày") % {"unit": d["unit"], "days": d["days"]},
        _("Yêu cầu khắc phục %(criterion)s đến hạn ngày %(due)s vẫn chưa có báo cáo.")
        % {"criterion": _criterion(d), "due": _date(d["due_on"])},
        _("Hãy nhắc đơn vị hoặc xem xét biện pháp khác."),
    )


def _action_responded(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("%(unit)s đã báo cáo khắc phục %(criterion)s")
        % {"unit": d["unit"], "criterion": _criterion(d)},
        _("Nội dung: %(note)s") % {"note": d["note"]},
        _("Hãy xác nhận hoặc yêu cầu khắc phục lại."),
    )


def _action_verified(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Báo cáo khắc phục %(criterion)s đã được xác nhận") % {"criterion": _criterion(d)},
        _("%(unit)s: %(note)s") % {"unit": d["unit"], "note": d.get("note") or _("đạt yêu cầu.")},
        _("Không cần làm gì thêm."),
    )


def _action_reopened(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Cần khắc phục lại: %(criterion)s") % {"criterion": _criterion(d)},
        _("Nhận xét: %(note)s") % {"note": d["note"]},
        _("Hãy khắc phục và gửi lại báo cáo trước ngày %(due)s.") % {"due": _date(d["due_on"])},
    )


def _commitment_missing(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("%(unit)s chưa nộp bản cam kết năm %(year)s") % {"unit": d["unit"], "year": d["year"]},
        _("Đơn vị chưa có bản cam kết thực hiện phong trào năm %(year)s.") % {"year": d["year"]},
        _("Hãy tải lên bản cam kết đã ký sớm nhất có thể."),
    )


def _export_ready(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Tệp “%(name)s” đã sẵn sàng") % {"name": d["filename"]},
        _("Tệp xuất dữ liệu bạn yêu cầu đã được tạo."),
        _("Hãy tải về trước %(until)s; sau đó tệp sẽ bị xóa.")
        % {"until": _date(d.get("expires_on"))},
    )


def _export_failed(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        _("Không tạo được tệp “%(name)s”") % {"name": d["filename"]},
        _("Đã có lỗi khi tạo tệp xuất dữ liệu."),
        _("Hãy thử lại; nếu vẫn lỗi, báo cho quản trị hệ thống."),
    )


KINDS: dict[str, tuple[Category, Writer]] = {
    "assigned": (Category.ASSIGNMENTS, _assigned),
    "round_opened": (Category.ASSIGNMENTS, _round_opened),
    "round_ending": (Category.ASSIGNMENTS, _round_ending),
    "round_closed_drafts": (Category.ASSIGNMENTS, _round_closed_drafts),
    "inspection_returned": (Category.RETURNED, _returned),
    "inspection_approved": (Category.REVIEWS, _approved),
    "inspection_revised": (Category.REVIEWS, _revised),
    "unit_result": (Category.RESULTS, _unit_result),
    "ranking_published": (Category.RESULTS, _ranking),
    "ranking_summary": (Category.RESULTS, _ranking_summary),
    "action_opened": (Category.ACTIONS, _action_opened),
    "action_due_soon": (Category.ACTIONS, _action_due_soon),
    "action_overdue": (Category.OVERDUE, _action_overdue),
    "action_overdue_copy": (Category.OVERDUE, _action_overdue_copy),
    "action_responded": (Category.FOLLOW_UP, _action_responded),
    "action_verified": (Category.FOLLOW_UP, _action_verified),
    "action_reopened": (Category.FOLLOW_UP, _action_reopened),
    "commitment_missing": (Category.COMMITMENTS, _commitment_missing),
    "export_ready": (Category.EXPORTS, _export_ready),
    "export_failed": (Category.EXPORTS, _export_failed),
}


def category_of(kind: str) -> Category:
    return KINDS[kind][0]


def page(name: str, *args: Any, anchor: str = "") -> dict[str, Any]:
    """Where a notification leads: a URL name of the pages and its arguments."""
    return {"name": name, "args": [str(a) for a in args], "anchor": anchor}


def link_of(data: Mapping[str, Any]) -> str:
    target = data.get("page") or {}
    try:
        path = reverse(target.get("name", "home"), args=target.get("args", []))
    except NoReverseMatch:  # a page renamed since: the home page rather than an error
        path = reverse("home")
    anchor = target.get("anchor", "")
    return f"{path}#{anchor}" if anchor else path


def notice_of(notification: Notification) -> Notice:
    """The notification in the active language."""
    _category, writer = KINDS[notification.kind]
    title, body, todo = writer(notification.data)
    return Notice(title=title, body=body, todo=todo, link=link_of(notification.data))
