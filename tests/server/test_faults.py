"""Faults during a sitting, against the real server (gunicorn on MariaDB): students answer and save
as their page does (answers numbered, queued, sent again after a failure) while the server is
killed, or while the network is cut. Afterwards every acknowledged answer is in the database with
its final value, each student has exactly one attempt, and the audit chain verifies."""
import asyncio
from urllib.parse import urlsplit

from server.proxy import Proxy
from server.sitting import CODE, Sitting, http_client, inspect, run

STUDENTS = 6
CUT_SECONDS = 60


def check_after(server, sitting, students, gateway=False):
    data, lost = inspect(server, sitting.usage, students)
    assert lost == [], lost
    for student in students:
        assert data["students"][student.user]["attempts"] == 1, student.user
        assert data["students"][student.user]["states"] == ["in_progress"]
        assert student.refusals == [] and student.queue == [], (student.user, student.refusals, student.queue)
        assert student.acked, student.user
    assert data["audit"]["ok"], data["audit"]
    server_errors = [e for e in sitting.stats.errors if not (gateway and e.startswith("502 "))]
    assert server_errors == [], server_errors  # 502: the proxy's answer while the server was down
    return data


async def started(sitting, http):
    students = [sitting.student(http, user) for user in sitting.users]
    for student in students:
        status, view = await student.start(CODE)
        assert status == 200, view
    return students


def test_server_killed_and_restarted_during_a_sitting(server, roster):
    """Reproduces an LMS process ending without warning while a class answers: the kernel's OOM
    killer or `docker kill` of Tutor's lms container sends SIGKILL to the uWSGI/gunicorn master and
    its workers at once (no request finishes, open transactions are rolled back by MariaDB), and the
    container's restart policy starts it again. The students' pages keep their answers queued and
    send them again every 3 s until the server answers."""
    group = roster(STUDENTS)
    sitting = Sitting(server.url, group["usage"], group["students"])

    async def scenario():
        async with http_client(4 * STUDENTS) as http:
            students = await started(sitting, http)
            stop = asyncio.Event()
            tasks = [asyncio.ensure_future(s.sit(stop, 0.2, 0.8)) for s in students]
            await asyncio.sleep(3)
            before = sum(len(s.acked) for s in students)
            await asyncio.to_thread(server.kill_hard)
            await asyncio.sleep(3)  # the students go on answering; nothing answers them
            unanswered = sitting.stats.no_answer
            await asyncio.to_thread(server.serve)
            await asyncio.sleep(3)
            stop.set()
            await asyncio.wait_for(asyncio.gather(*tasks), 120)
            after = sum(len(s.acked) for s in students)
            return students, before, unanswered, after

    students, before, unanswered, after = run(scenario())
    assert before > 0 and unanswered > 0 and after > before  # killed in the middle of the sitting
    check_after(server, sitting, students)


def test_network_cut_for_a_minute(server, roster):
    """Reproduces a school's network (or a student's phone) losing the connection for a minute in
    the middle of a sitting: connections in flight are reset, new ones refused, and the page
    queues the answers typed meanwhile, sending them again every 3 s. Before the cut, one save
    reaches the server whose answer is lost on the way back (the browser hears nothing): the page
    sends it again with the same number and the server answers "already", keeping one record."""
    group = roster(STUDENTS)
    parts = urlsplit(server.url)

    async def scenario():
        proxy = await Proxy(parts.hostname, parts.port).start()
        sitting = Sitting(proxy.url, group["usage"], group["students"])
        try:
            async with http_client(4 * STUDENTS) as http:
                students = await started(sitting, http)
                first = students[0]
                proxy.swallow = True
                first.answer()
                unheard = asyncio.ensure_future(first.flush())
                while sitting.stats.no_answer == 0:
                    await asyncio.sleep(0.05)
                proxy.swallow = False
                await asyncio.wait_for(unheard, 30)
                stop = asyncio.Event()
                tasks = [asyncio.ensure_future(s.sit(stop, 0.5, 2.0)) for s in students]
                await asyncio.sleep(3)
                proxy.cut_link()
                cut_at = sitting.stats.no_answer
                await asyncio.sleep(CUT_SECONDS)
                during = sitting.stats.no_answer - cut_at
                queued = sum(len(s.queue) for s in students)
                proxy.restore()
                await asyncio.sleep(3)
                stop.set()
                await asyncio.wait_for(asyncio.gather(*tasks), 120)
                return sitting, students, during, queued
        finally:
            await proxy.close()

    sitting, students, during, queued = run(scenario())
    assert during >= STUDENTS and queued > 0  # the cut was felt, answers waited for it to end
    assert "already" in {outcome for _p, _r, outcome in students[0].acked.values()}
    check_after(server, sitting, students)


def test_server_killed_behind_the_reverse_proxy(server, roster):
    """Reproduces the same crash as Tutor deploys the LMS: behind Caddy
    (tutor/templates/apps/caddy/Caddyfile, ``reverse_proxy`` to lms:8000), which answers
    502 Bad Gateway while the LMS does not accept connections, instead of no answer at all. The
    students' last answers are typed while the LMS is down; once it is back, the page must send
    them without waiting for another click (VNOT.post takes a gateway's 502/503/504 for a lost
    connection; before, ``flush`` took it for a refusal and the queue waited for the student's
    next change; the page itself is checked in tests/browser/test_assessment_browser.py)."""
    group = roster(STUDENTS)
    parts = urlsplit(server.url)

    async def scenario():
        proxy = await Proxy(parts.hostname, parts.port, gateway=True).start()
        sitting = Sitting(proxy.url, group["usage"], group["students"])
        try:
            async with http_client(4 * STUDENTS) as http:
                students = await started(sitting, http)
                stop, stop_typing = asyncio.Event(), asyncio.Event()
                tasks = [asyncio.ensure_future(s.sit(stop, 0.2, 0.8, stop_typing)) for s in students]
                await asyncio.sleep(3)
                await asyncio.to_thread(server.kill_hard)
                await asyncio.sleep(3)  # the last answers, typed while the LMS is down
                stop_typing.set()
                await asyncio.to_thread(server.serve)
                await asyncio.sleep(8)  # the pages' time to send them again (every 3 s)
                stop.set()
                await asyncio.wait_for(asyncio.gather(*tasks), 60)
                return sitting, students, proxy.bad_gateway
        finally:
            await proxy.close()

    sitting, students, bad_gateway = run(scenario())
    assert bad_gateway > 0
    unsent = {s.user: len(s.queue) for s in students if s.queue}
    assert unsent == {}, f"answers left unsent after the LMS came back (student: answers): {unsent}"
    check_after(server, sitting, students, gateway=True)
