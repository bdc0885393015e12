"""What the server tier's tests share: students of one periodic test over HTTP, the database's view of
them read by a separate process, and a coroutine run to its end."""
import asyncio

from httpserver.client import Stats, Student, http_client  # noqa: F401 - used by the tests

CODE = "TOAN10"  # the demo periodic test's access code (assessment.scenarios.DEMO_CODE)


class Sitting:
    """Students of one test, one HTTP client, the numbers of their requests."""

    def __init__(self, base, usage, users):
        self.base, self.usage, self.users = base, usage, users
        self.stats = Stats()

    def student(self, http, user, **kwargs):
        return Student(http, self.base, self.usage, user, self.stats, **kwargs)


def inspect(server, usage, students):
    """The database's view of these students (one attempt each, their saves, refusals, the audit
    chain), with what the students were acknowledged checked against it."""
    data = server.seed("inspect", usage, *[s.user for s in students])
    lost = [line for s in students for line in s.lost(data["students"][s.user]["saves"])]
    return data, lost


def run(coro):
    return asyncio.run(coro)

