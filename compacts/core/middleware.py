"""Turn domain errors that escape a page view into the matching error page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from compacts.core.exceptions import NotFoundError, PermissionDeniedError


class DomainErrorMiddleware:
    """A service's ``PermissionDeniedError`` becomes the 403 page and ``NotFoundError`` the 404
    page, in the reader's language. The API has its own handler (``compacts.api.api``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDeniedError):
            raise PermissionDenied(exception.message) from exception
        if isinstance(exception, NotFoundError):
            raise Http404(exception.message) from exception
        return None
