"""Django admin for the register. Saves go through the services (validation, permission,
audit); roles are reference data and read-only here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from compacts.actors import services
from compacts.actors.models import Membership, Organisation, Role
from compacts.core.exceptions import ApplicationError, ConflictError


class OrganisationAdminForm(forms.ModelForm):
    """Shows the service's validation (codelists, identifier form, Member State rules) on the
    form's fields, before anything is saved."""

    class Meta:
        model = Organisation
        fields = services.ORGANISATION_FIELDS

    def clean(self):
        cleaned = super().clean()
        values = {
            name: cleaned.get(name, getattr(self.instance, name, None))
            for name in services.ORGANISATION_FIELDS
        }
        try:
            services.organisation_values_validate(values, exclude_pk=self.instance.pk)
        except ConflictError as error:
            field = error.extra.get("field")
            self.add_error(field if field in self.fields else None, error.message)
        except ApplicationError as error:
            for field, problem in error.extra.get("fields", {}).items():
                self.add_error(field if field in self.fields else None, problem)
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "short_name", "category", "iati_type", "iati_identifier", "country"]
    list_filter = ["category", "is_illustrative"]
    search_fields = ["name", "short_name", "iati_identifier"]
    raw_id_fields = ["country"]

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data.get(name) for name in services.ORGANISATION_FIELDS}
        values = {key: value for key, value in values.items() if key in form.cleaned_data}
        try:
            if change:
                original = Organisation.objects.get(pk=obj.pk)
                saved = services.organisation_update(
                    actor=request.user, organisation=original, **values
                )
            else:
                saved = services.organisation_create(actor=request.user, **values)
        except ApplicationError as error:  # a permission refused, or a race since clean()
            raise PermissionDenied(error.message) from error
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        raise PermissionDenied("Organisations are not deleted; their history matters.")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    readonly_fields = ["code", "name", "description"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]
    raw_id_fields = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = services.membership_grant(
                actor=request.user,
                user=data["user"],
                organisation=data["organisation"],
                role=data["role"],
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
            )
        except ApplicationError as error:
            raise PermissionDenied(error.message) from error
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.membership_revoke(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_revoke(actor=request.user, membership=membership)
