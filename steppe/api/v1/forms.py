"""The site's forms, reading the API's names: countries by ISO code, themes by slug."""

from django import forms

from steppe.library.forms import DocumentRecordForm
from steppe.taxonomy.models import Country, Theme


class ApiDocumentRecordForm(DocumentRecordForm):
    """The library's upload form (same rules, same French messages) without its file field: the
    file is checked by `library.services` itself."""

    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(), to_field_name="code", required=False
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), to_field_name="slug", required=False
    )
