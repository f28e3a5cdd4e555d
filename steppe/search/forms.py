from django import forms
from django.utils.translation import gettext_lazy as _

from .query import MAX_QUERY_LENGTH

MAX_PAGE = 500


class SearchForm(forms.Form):
    """The query, sort and page of the search page (facets are read by `Filters`)."""

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    tri = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("pertinence", _("Relevance")), ("date", _("Date"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_q(self) -> str:
        # Any text is acceptable: the parser ignores what it cannot use. Only the length is bounded.
        return self.cleaned_data["q"][: MAX_QUERY_LENGTH * 4]

    @property
    def sort(self) -> str:
        return "date" if self.cleaned_data.get("tri") == "date" else "relevance"
