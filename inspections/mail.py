"""The one way the product sends e-mail: to a person, in their language, text with HTML.

Services call `send_to_person` from `transaction.on_commit`, so a rolled-back change never
mails anyone; the notifications work can later route this one function through an outbox.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from inspections.models import display_name

PRODUCT = "Công Sở Xanh"


def language_of(person: Any) -> str:
    try:
        language: str = person.profile.language
    except (AttributeError, ObjectDoesNotExist):  # no profile yet: the product's language
        language = ""
    return language or settings.LANGUAGE_CODE


def render_message(
    *, person: Any, template: str, context: Mapping[str, Any]
) -> EmailMultiAlternatives:
    """`mail/<template>_subject.txt`, `.txt` and `.html`, rendered in the person's language."""
    with translation.override(language_of(person)):
        full = {
            "product": PRODUCT,
            "agency": settings.AGENCY_NAME,
            "name": display_name(person),
            "site_url": settings.SITE_URL,
            **context,
        }
        subject = " ".join(render_to_string(f"mail/{template}_subject.txt", full).split())
        text = render_to_string(f"mail/{template}.txt", full)
        html = render_to_string(f"mail/{template}.html", full)
        if PRODUCT not in subject:  # every subject names the product, once
            subject = _("%(subject)s — %(product)s") % {"subject": subject, "product": PRODUCT}
    message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
    message.attach_alternative(html, "text/html")
    return message


def send_to_person(*, person: Any, template: str, context: Mapping[str, Any]) -> bool:
    """Send one message; False (and nothing sent) when the person has no address."""
    if not getattr(person, "email", ""):
        return False
    return bool(render_message(person=person, template=template, context=context).send())


class ConsoleAndFileBackend(BaseEmailBackend):
    """Development: each message printed by `runserver` and kept as a file in EMAIL_FILE_PATH."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        self.console = ConsoleBackend(fail_silently=fail_silently, **kwargs)
        self.files = FileBackend(
            file_path=str(settings.EMAIL_FILE_PATH), fail_silently=fail_silently, **kwargs
        )

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.console.send_messages(email_messages)
        return self.files.send_messages(email_messages)
