from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 512 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("IATI activity file (XML)"),
        help_text=_("An iati-activities file, version 2.01 to 2.03, up to 512 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 512 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
