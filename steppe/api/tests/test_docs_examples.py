"""Every curl example of docs/API.md works: run through the test client, and by curl itself.

The page's conventions (stated there): `$STEPPE` is the site and `$TOKEN` a personal API token (of
the corpus' author aigerim-seitkali); a `# HTTP nnn` comment after a curl line is the status it must
get (200 otherwise); a ```json block right after a ```sh block shows the answer of that block's last
curl, and the real answer must have the same shape (same keys at every level, same JSON types; null
matches anything; lists are compared by their first element). `ETAG=$(curl … | grep …)` keeps the
ETag of that answer for the lines that follow, `ID=$(curl … | jq -r .id)` a field of its JSON body.
`curl -F name=value -F file=@report.pdf` sends a multipart form; the files it names are written
by this test into the folder the lines run in (`EXAMPLE_FILES`: real PDFs).
"""

import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from steppe.library.tests import pdfs

pytestmark = pytest.mark.django_db

API_MD = Path(settings.BASE_DIR) / "docs" / "API.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
ASSIGNMENT = re.compile(r"^(\w+)=\$\((curl .*?)\|(.*)\)$")
JQ_PATH = re.compile(r"^\s*jq -r ((?:\.\w+|\[\d+\])+)\s*$")


def jq_path(data, path: str):
    """What `jq -r .items[0].id` prints: the page only uses such plain paths."""
    for name, index in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        data = data[name] if name else data[int(index)]
    return data


@dataclass
class Command:
    line: str  # as written in the page
    status: int = 200
    assign_to: str | None = None  # ETAG=$(curl …): keep the answer's ETag
    shape: object = None  # the JSON shown after the block, for the block's last command
    has_shape: bool = False


def parse_examples(text: str) -> list[Command]:
    commands: list[Command] = []
    previous_block_commands: list[Command] = []
    for match in FENCE.finditer(text):
        language, body = match.group(1), match.group(2)
        if language == "json":
            # Only a json block that directly follows a sh block describes an answer.
            between = text[text.rfind("```", 0, match.start()) + 3 : match.start()]
            if previous_block_commands and not between.strip():
                target = previous_block_commands[-1]
                target.shape = json.loads(body)
                target.has_shape = True
            previous_block_commands = []
            continue
        previous_block_commands = []
        if language != "sh":
            continue
        for raw in body.splitlines():
            line = raw.strip()
            status = re.fullmatch(r"# HTTP (\d{3})", line)
            if status and previous_block_commands:
                previous_block_commands[-1].status = int(status.group(1))
                continue
            assignment = ASSIGNMENT.match(line)
            if assignment:
                command = Command(line=line, assign_to=assignment.group(1))
            elif line.startswith("curl "):
                command = Command(line=line)
            else:
                continue
            commands.append(command)
            previous_block_commands.append(command)
    return commands


COMMANDS = parse_examples(API_MD.read_text(encoding="utf-8"))

# The files the page's `curl -F file=@…` lines send: a report with an outline (its chapters), and a
# password-protected one (refused).
EXAMPLE_FILES = {
    "report.pdf": lambda: pdfs.make_pdf(
        pages=6,
        outline=[("Résumé", 1), ("Les fleuves partagés", 2), ("Recommandations", 5)],
    ),
    "report-v2.pdf": lambda: pdfs.make_pdf(
        pages=7,
        outline=[("Résumé", 1), ("Les fleuves partagés", 2), ("Recommandations", 6)],
    ),
    "protected.pdf": pdfs.make_encrypted_pdf,
}


def write_example_files(folder: Path) -> None:
    for name, make in EXAMPLE_FILES.items():
        (folder / name).write_bytes(make())


def test_the_page_has_examples_of_every_kind():
    assert len(COMMANDS) >= 15
    statuses = {command.status for command in COMMANDS}
    assert {200, 201, 202, 204, 304, 400, 401, 404, 405, 409, 422} <= statuses
    assert any("$TOKEN" in command.line and " -d " in command.line for command in COMMANDS)
    assert sum(command.has_shape for command in COMMANDS) >= 8
    uploads = [command for command in COMMANDS if " -F file=@" in command.line]
    assert {201, 422} <= {command.status for command in uploads}


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: str | None = None
    form: list[tuple[str, str]] | None = None  # curl -F: (name, value or @file)


def to_request(line: str, variables: dict[str, str]) -> Request:
    """The request a curl line makes; only the options the page uses are understood."""
    curl = ASSIGNMENT.match(line).group(2) if ASSIGNMENT.match(line) else line
    words = shlex.split(curl)
    for name, value in variables.items():
        words = [word.replace(f"${name}", value) for word in words]
    assert words[0] == "curl"
    method, headers, url, body, form = "GET", {}, None, None, None
    words = iter(words[1:])
    for word in words:
        if word in ("-s", "-S", "-i", "-si", "-sS", "--compressed"):
            continue
        if word in ("-I", "-sI", "--head"):
            method = "HEAD"
        elif word in ("-H", "--header"):
            name, _, value = next(words).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-X", "--request"):
            method = next(words)
        elif word in ("-d", "--data", "--data-raw"):
            body = next(words)
            if method == "GET":
                method = "POST"
        elif word in ("-F", "--form"):
            name, _, value = next(words).partition("=")
            form = [*(form or []), (name, value)]
            if method == "GET":
                method = "POST"
        elif word in ("-o", "--output"):
            next(words)
        elif word.startswith("-"):
            raise AssertionError(f"docs/API.md uses a curl option the test does not know: {word}")
        else:
            url = word
    assert url is not None, line
    return Request(method=method, path=url, headers=headers, body=body, form=form)


def multipart_data(form: list[tuple[str, str]], folder: Path) -> dict:
    """What `curl -F` sends, for the test client: repeated names as lists, `@name` as a file."""
    data: dict[str, list] = {}
    for name, value in form:
        if value.startswith("@"):
            path = folder / value[1:].split(";", 1)[0]
            value = SimpleUploadedFile(path.name, path.read_bytes(), "application/pdf")
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def assert_same_shape(expected, actual, where: str = "answer") -> None:
    if expected is None or actual is None:
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        assert set(actual) == set(expected), (where, sorted(set(actual) ^ set(expected)))
        for key, value in expected.items():
            assert_same_shape(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), where
        if expected and actual:
            assert_same_shape(expected[0], actual[0], f"{where}[0]")
    elif isinstance(expected, bool):
        assert isinstance(actual, bool), where
    elif isinstance(expected, int | float):
        assert isinstance(actual, int | float), where
        assert not isinstance(actual, bool), where
    else:
        assert isinstance(actual, type(expected)), (where, expected, actual)


def test_examples_through_the_test_client(
    corpus, aigerim_token, tmp_path, django_capture_on_commit_callbacks
):
    client = Client()
    variables = {"STEPPE": "", "TOKEN": aigerim_token}
    write_example_files(tmp_path)
    for command in COMMANDS:
        request = to_request(command.line, variables)
        headers = dict(request.headers)
        # Each request commits as on a real server: what waits for the commit (the analysis of an
        # uploaded PDF, with the immediate task backend) runs before the next line.
        with django_capture_on_commit_callbacks(execute=True):
            if request.form is not None:
                assert request.method == "POST", command.line
                response = client.post(
                    request.path, multipart_data(request.form, tmp_path), headers=headers
                )
            else:
                content_type = headers.pop("Content-Type", "application/octet-stream")
                response = client.generic(
                    request.method,
                    request.path,
                    data=request.body or "",
                    content_type=content_type,
                    headers=headers,
                )
        if command.assign_to:
            assert response.status_code < 300, (command.line, response.content[:300])
            jq = JQ_PATH.match(ASSIGNMENT.match(command.line).group(3))
            if jq:
                variables[command.assign_to] = str(jq_path(response.json(), jq.group(1)))
            else:
                variables[command.assign_to] = response["ETag"]
            continue
        assert response.status_code == command.status, (command.line, response.content[:300])
        if command.has_shape:
            assert_same_shape(command.shape, response.json(), command.line)
        elif response.status_code >= 400:
            assert set(response.json()["error"]) == {"code", "message", "details"}


def test_examples_with_curl_against_a_live_server(corpus_live, live_server, tmp_path, request):
    """The same lines, run by bash and curl (and jq) as a reader would paste them."""
    if shutil.which("curl") is None or shutil.which("jq") is None:
        pytest.skip("curl or jq is not installed")
    token = request.getfixturevalue("aigerim_token")
    write_example_files(tmp_path)
    script = ["set -eu"]
    outputs = []
    for index, command in enumerate(COMMANDS):
        if command.assign_to:
            script.append(command.line)
            continue
        output = tmp_path / f"answer-{index}"
        outputs.append((command, output))
        # -w appends the status on its own line; -i answers start with the headers.
        script.append(f"{command.line} -w '\\n%{{http_code}}' > {shlex.quote(str(output))}")
    result = subprocess.run(  # noqa: S603
        ["/bin/bash", "-c", "\n".join(script)],
        env={"STEPPE": live_server.url, "TOKEN": token, "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for command, output in outputs:
        text = output.read_text(encoding="utf-8")
        body, _, status = text.rpartition("\n")
        assert int(status) == command.status, (command.line, text[:300])
        if body.startswith("HTTP/"):
            body = body.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in body else ""
        if command.has_shape:
            assert_same_shape(command.shape, json.loads(body), command.line)


@pytest.fixture
def corpus_live(reference_data, request):
    """The corpus, in a database the live server's thread can see (a transactional test)."""
    return request.getfixturevalue("corpus")
