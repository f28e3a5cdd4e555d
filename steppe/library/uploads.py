"""Receiving PDF uploads: straight into the library's temporary folder, never past the limit.

Django's default handlers keep small files in memory and write large ones to the system's
temporary folder, whatever their size. `LibraryUploadHandler` instead writes every file into
`conf.temp_dir()` (files named like the checker's, so `library_sweep` removes what a killed worker
left) and stops writing as soon as the size limit is passed, so an oversized upload never fills
the disk. The view must install it before anything reads `request.POST` (see `install`).
"""

import os
import tempfile

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import HttpRequest

from . import conf
from .pdf import TEMP_PREFIX


class LibraryTemporaryUploadedFile(UploadedFile):
    """An uploaded file kept in the library's temporary folder, removed when closed."""

    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        file = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed with the upload)
            prefix=TEMP_PREFIX, suffix=".upload", dir=conf.temp_dir()
        )
        super().__init__(file, name, content_type, size, charset, content_type_extra)

    def temporary_file_path(self) -> str:
        return self.file.name

    def close(self):
        try:
            return self.file.close()
        except FileNotFoundError:
            pass


class LibraryUploadHandler(FileUploadHandler):
    """Write uploads to the library's temporary folder; drop a file once it passes the limit.

    `exceeded` holds the names of the fields whose file was too large (the form reports it).
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = conf.max_upload_bytes()
        self.exceeded: set[str] = set()
        self._written = 0
        self._too_large = False

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.file = LibraryTemporaryUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )
        self._written = 0
        self._too_large = False
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        if self._too_large:
            return None
        self._written += len(raw_data)
        if self._written > self.limit:
            self._too_large = True
            self.exceeded.add(self.field_name)
            self.file.close()  # deletes what was written so far
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self._too_large:
            return None
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.seek(0)
        self.file.size = file_size
        return self.file

    def upload_interrupted(self):
        if hasattr(self, "file"):
            self.file.close()


def install(request: HttpRequest) -> LibraryUploadHandler:
    """Make the library's handler the only one for this request (before reading request.POST)."""
    handler = LibraryUploadHandler(request)
    request.upload_handlers = [handler]
    return handler
