from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Kiểm tra công sở")

    def ready(self) -> None:
        from inspections import checks  # noqa: F401  (registers the deployment checks)
