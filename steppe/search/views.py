"""The search page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from .forms import SearchForm
from .selectors import Filters, search_run


@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        if "page" in form.errors:
            raise Http404("Invalid page number.")
        form = SearchForm({"q": request.GET.get("q", "")[:1200]})
        form.is_valid()
    results = search_run(
        text=form.cleaned_data.get("q") or "",
        filters=Filters.from_querydict(request.GET),
        sort=form.sort,
        page=form.cleaned_data.get("page") or 1,
    )
    if results.page_number > 1 and not results.hits:
        raise Http404("Empty page.")
    htmx = getattr(request, "htmx", False)
    name = "search/partials/results.html" if htmx else "search/search.html"
    return render(request, name, {"form": form, "results": results})
