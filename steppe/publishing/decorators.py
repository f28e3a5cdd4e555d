"""Sign-in that loses nothing: a form sent after the session expired is kept and restored."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login

# An anonymous visitor can send this much to the session: enough for a long article (the body form
# field allows 200,000 characters), not enough to fill the session store cheaply.
STASH_MAX_CHARS = 250_000


def login_required_keeping_post(view):
    """Like login_required, but an anonymous POST is stashed in the session before the redirect.

    Signing in keeps the session's data (Django cycles the key, not the content), so the editor view
    finds the stash under `stashed_form` and shows the text again.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            data = {
                key: request.POST.getlist(key)
                for key in request.POST
                if key != "csrfmiddlewaretoken"
            }
            request.session["stashed_form"] = {"path": request.path, "data": data}
        return redirect_to_login(request.get_full_path())

    return wrapper
