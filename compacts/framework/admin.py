"""Administration of the framework. Reference data loaded from shipped files is read-only here;
the Migration MPTF's provisional data is edited and confirmed through the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from compacts.core.exceptions import ApplicationError
from compacts.framework import models, services


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.GcmObjective)
class GcmObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "short_label", "paragraph"]


@admin.register(models.Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ["name", "iso2", "iso3", "m49", "region", "in_m49"]
    list_filter = ["in_m49", "is_ldc", "is_lldc", "is_sids"]
    search_fields = ["name", "iso2", "iso3", "m49"]


@admin.register(models.Codelist)
class CodelistAdmin(ReadOnlyAdmin):
    list_display = ["name", "title", "complete"]


for model in [
    models.Region,
    models.GcmAction,
    models.GuidingPrinciple,
    models.GcrObjective,
    models.GcrArea,
    models.SdgGoal,
    models.SdgTarget,
    models.SdgIndicator,
    models.ReferenceSource,
]:
    admin.site.register(model, ReadOnlyAdmin)


class ConfirmableAdmin(admin.ModelAdmin):
    """Editing goes through the ``*_update`` service (audited); confirming through an action."""

    readonly_fields = ["code", "status", "confirmed_at", "confirmed_by", "source_note"]
    list_display = ["code", "name", "status", "confirmed_at"]
    actions = ["confirm"]
    confirm_service = None
    update_service = None
    object_argument = ""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        values = {
            name: form.cleaned_data[name] for name in form.changed_data if name in self.editable
        }
        try:
            type(self).update_service(
                **{self.object_argument: obj, "actor": request.user, **values}
            )
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)

    @admin.action(description=_("Confirm the selected items"))
    def confirm(self, request, queryset):
        for obj in queryset:
            try:
                type(self).confirm_service(**{self.object_argument: obj, "actor": request.user})
            except ApplicationError as error:
                self.message_user(request, f"{obj}: {error.message}", messages.WARNING)


@admin.register(models.ThematicArea)
class ThematicAreaAdmin(ConfirmableAdmin):
    fields = ["code", "name", "status", "confirmed_at", "confirmed_by", "source_note"]
    editable = ["name"]
    confirm_service = staticmethod(services.thematic_area_confirm)
    update_service = staticmethod(services.thematic_area_update)
    object_argument = "thematic_area"


@admin.register(models.Marker)
class MarkerAdmin(ConfirmableAdmin):
    fields = [
        "code",
        "name",
        "description",
        "status",
        "confirmed_at",
        "confirmed_by",
        "source_note",
    ]
    editable = ["name", "description"]
    confirm_service = staticmethod(services.marker_confirm)
    update_service = staticmethod(services.marker_update)
    object_argument = "marker"
