"""Admin: the publisher settings are editable data; runs and imported activities are read-only
(they are written by the export and import services only)."""

from django.contrib import admin

from compacts.iati.models import ExternalActivity, IatiExportRun, ImportRun, PublisherSettings


@admin.register(PublisherSettings)
class PublisherSettingsAdmin(admin.ModelAdmin):
    list_display = ["reporting_org_ref", "reporting_org_name", "fund_code", "default_language"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IatiExportRun)
class IatiExportRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "status", "reason", "activity_count", "error_count", "is_published"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "file_name", "status", "imported", "updated", "skipped", "rejected"]


@admin.register(ExternalActivity)
class ExternalActivityAdmin(ReadOnlyAdmin):
    list_display = ["iati_identifier", "reporting_org_ref", "title", "is_migration"]
    search_fields = ["iati_identifier", "title", "reporting_org_name"]
    exclude = ["xml"]
