"""Forms of the actors pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from compacts.actors.models import StakeholderCategory


class OrganisationFilterForm(forms.Form):
    """The list page's filters. Invalid values are dropped rather than refused: a filter link
    that went stale shows the whole list, not an error."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *StakeholderCategory.choices]
        self.fields["country"].choices = [("", _("All countries")), *countries]

    def filters(self) -> dict[str, str]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "search": cleaned.get("q", "") or "",
            "category": cleaned.get("category", "") or "",
            "country": cleaned.get("country", "") or "",
        }
