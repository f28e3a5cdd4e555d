"""Forms of the contributors' editor and of the editors' decisions."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from steppe.core.models import Language
from steppe.taxonomy.models import Country, Theme

from .models import Article
from .services import ArticleData

BODY_MAX_CHARS = 200_000
MAX_SOURCES = 30
MAX_TAGS = 15


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Article.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    lead = forms.CharField(
        label=_("Lead"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One short paragraph that sums the piece up; shown in listings."),
    )
    body_source = forms.CharField(
        label=_("Body"),
        max_length=BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Markdown: ## for a subheading, **bold**, *italic*, [link](https://…), - for a list."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=Language.choices, initial=Language.FRENCH
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
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Links to your sources, one per line."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = uuid.uuid4()

    def clean_tags(self) -> list[str]:
        tags = [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("%(count)s tags at most.") % {"count": MAX_TAGS})
        return tags

    def clean_sources(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["sources"].splitlines() if line.strip()]
        if len(lines) > MAX_SOURCES:
            raise ValidationError(_("%(count)s sources at most.") % {"count": MAX_SOURCES})
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                validate(line)
            except ValidationError:
                raise ValidationError(
                    _("“%(line)s” is not a web address (https://…).") % {"line": line[:80]}
                ) from None
        return "\n".join(lines)

    def article_data(self) -> ArticleData:
        data = self.cleaned_data
        return ArticleData(
            title=data["title"],
            kind=data["kind"],
            lead=data["lead"],
            body_source=data["body_source"],
            language=data["language"],
            sources=data["sources"],
            countries=list(data["countries"]),
            themes=list(data["themes"]),
            tag_names=data["tags"],
        )

    @classmethod
    def initial_for(cls, article: Article) -> dict:
        return {
            "kind": article.kind,
            "title": article.title,
            "lead": article.lead,
            "body_source": article.body_source,
            "language": article.language,
            "countries": list(article.countries.all()),
            "themes": list(article.themes.all()),
            "tags": ", ".join(t.name for t in article.tags.all()),
            "sources": article.sources,
        }


class ImageUploadForm(forms.Form):
    image = forms.FileField(label=_("Image"), help_text=_("JPEG, PNG, WebP or GIF, 15 MB at most."))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    credit = forms.CharField(label=_("Credit"), max_length=200, required=False)


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason given to the author"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
