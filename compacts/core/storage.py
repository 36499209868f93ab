"""Static files storage: WhiteNoise's compressed, hashed files, without source-map rewriting.

Vendored libraries ship minified files whose trailing ``sourceMappingURL`` comments name maps that
are not vendored; Django's manifest storage would refuse to collect them. Only ``url()`` and
``@import`` references in CSS are rewritten.
"""

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = (("*.css", tuple(HashedFilesMixin.patterns[0][1][:2])),)
