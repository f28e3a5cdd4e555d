import pytest


@pytest.fixture
def page_cache_on(settings):
    """Anonymous page cache on (it is on by default in production only), feeds cached too."""
    settings.STEPPE_PAGE_CACHE_SECONDS = 300
    settings.STEPPE_FEED_CACHE_SECONDS = 300
    settings.STEPPE_SITEMAP_CACHE_SECONDS = 300


class _Recorder:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        import email
        import email.policy

        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


class StoppableSMTP:
    """A real aiosmtpd server on 127.0.0.1 that a test can stop and start again on the same port."""

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.recorder = _Recorder()
        self.controller = None

    @property
    def messages(self) -> list:
        return self.recorder.messages

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_queue(settings):
    """E-mail through TaskEmailBackend, delivered by SMTP to a server that starts stopped."""
    server = StoppableSMTP()
    settings.EMAIL_BACKEND = "steppe.ops.mail.TaskEmailBackend"
    settings.STEPPE_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2
    settings.STEPPE_EMAIL_RETRY_DELAYS = [60, 300]
    settings.STEPPE_EMAIL_MAX_ATTEMPTS = 3
    yield server
    server.stop()


@pytest.fixture
def database_tasks(settings):
    """The production task backend (rows in the database, run by a worker)."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "intake", "knowledge", "email"],
        }
    }


def run_worker(queue: str = "*") -> None:
    """Run django-tasks-db's own worker in this process until no task is ready."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=[queue],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
