from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Kiểm tra công sở")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from inspections import checks  # noqa: F401  (registers the deployment checks)
        from inspections.authcache import forget_person_on_save
        from inspections.models import Profile, UserRole

        # Who a remembered token's owner is (password, activity, profile, roles) follows every
        # save through the ORM at once: inspections/authcache.py.
        for model in (get_user_model(), Profile, UserRole):
            post_save.connect(forget_person_on_save, sender=model, dispatch_uid=f"auth-{model}")
        post_delete.connect(forget_person_on_save, sender=UserRole, dispatch_uid="auth-role-gone")
