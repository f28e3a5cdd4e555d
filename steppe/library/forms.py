"""Forms of the contributors' library pages: the document record, its file, its chapters."""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from steppe.core.models import Language
from steppe.taxonomy.models import Country, Theme

from .models import Document, Licence
from .pdf import too_large_message
from .services import ChapterData, DocumentRecord

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")


class DocumentRecordForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    subtitle = forms.CharField(
        label=_("Subtitle"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    published_on = forms.DateField(
        label=_("Date of the document"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When the issuing organisation published it."),
    )
    organisation = forms.CharField(label=_("Issuing organisation"), required=False, max_length=255)
    authors = forms.CharField(
        label=_("Authors"),
        required=False,
        max_length=500,
        help_text=_("As printed on the document; separate names with “;”."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.order_by("-is_focus", "name_fr"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language of the document"),
        required=False,
        choices=[("", _("Detect it from the file")), *Language.choices],
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        required=False,
        choices=[("", _("Not stated")), *Licence.choices],
        help_text=_("Under which terms the document may be shared."),
    )
    doi = forms.CharField(
        label=_("DOI"),
        required=False,
        max_length=255,
        help_text=_("For instance 10.1234/abcd.5678, if the document has one."),
    )
    source_url = forms.URLField(
        label=_("Source address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The page where the organisation publishes the document."),
    )
    presentation_source = forms.CharField(
        label=_("Presentation"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the document is about, in your words (Markdown)."),
    )

    def clean_doi(self) -> str:
        doi = self.cleaned_data["doi"].strip()
        for prefix in DOI_PREFIXES:
            if doi.lower().startswith(prefix):
                doi = doi[len(prefix) :]
        if doi and not DOI_PATTERN.match(doi):
            raise ValidationError(_("A DOI looks like 10.1234/abcd.5678."))
        return doi

    def record(self) -> DocumentRecord:
        data = self.cleaned_data
        return DocumentRecord(
            title=data["title"],
            subtitle=data["subtitle"],
            published_on=data["published_on"],
            organisation=data["organisation"],
            authors=data["authors"],
            presentation_source=data["presentation_source"],
            language=data["language"],
            licence=data["licence"],
            doi=data["doi"],
            source_url=data["source_url"],
            countries=list(data["countries"]),
            themes=list(data["themes"]),
        )

    @classmethod
    def initial_for(cls, document: Document) -> dict:
        return {
            "title": document.title,
            "subtitle": document.subtitle,
            "published_on": document.published_on,
            "organisation": document.organisation,
            "authors": document.authors,
            "countries": list(document.countries.all()),
            "themes": list(document.themes.all()),
            "language": "" if document.language_detect else document.language,
            "licence": document.licence,
            "doi": document.doi,
            "source_url": document.source_url,
            "presentation_source": document.presentation_source,
        }


class PdfField(forms.FileField):
    widget = forms.FileInput(attrs={"accept": "application/pdf,.pdf"})


class FileLimitMixin:
    """Say so when the upload handler dropped the file for being over the size limit."""

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def full_clean(self):
        super().full_clean()
        if self.too_large:
            self.errors["file"] = self.error_class([too_large_message()])
            self.cleaned_data.pop("file", None)


class DocumentUploadForm(FileLimitMixin, DocumentRecordForm):
    """The record and its PDF, sent together."""

    file = PdfField(
        label=_("PDF file"),
        help_text=_("A PDF without password or scripts."),
    )
    # Recognises the form sent twice (a double click, "resend" after a lost answer): one document.
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    field_order = ["file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = uuid.uuid4()


class VersionUploadForm(FileLimitMixin, forms.Form):
    """A new file for an existing document."""

    file = PdfField(label=_("New PDF file"))


class ChapterForm(forms.Form):
    title = forms.CharField(label=_("Chapter"), max_length=500, required=False)
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=100_000, required=False)


class BaseChapterFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position in the list")
        form.fields["ORDER"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        form.fields["DELETE"].label = _("Remove this chapter")

    def chapters(self) -> list[ChapterData]:
        """Chapters in the order asked (the ORDER field), without deleted or empty rows."""
        return [
            ChapterData(title=form.cleaned_data["title"], page=form.cleaned_data.get("page"))
            for form in self.ordered_forms
            if form.cleaned_data.get("title") and not self._should_delete_form(form)
        ]


ChapterFormSet = forms.formset_factory(
    ChapterForm,
    formset=BaseChapterFormSet,
    extra=3,
    can_order=True,
    can_delete=True,
    max_num=100,
    validate_max=True,
)


def chapter_initial(document: Document) -> list[dict]:
    return [
        {"title": c.title, "page": c.page, "ORDER": c.position} for c in document.chapters.all()
    ]
