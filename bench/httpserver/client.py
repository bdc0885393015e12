"""Students over HTTP, saving answers as the student's page does
(static/vn_online_teaching/js/assessment_student.js and VNOT.post in vnot.js):

- ``start`` with a ``request_id`` made once per browser and the access code; the answer's ``device``
  token goes with every later request;
- every answer takes the attempt's next sequence number; the queue keeps only the newest answer of
  a position (an older unsent one is replaced), holds at most one request in flight, sends up to 50
  answers at a time, and drops from the queue only what the server acknowledged (a 200 naming the
  seq: "saved", "already" or "stale");
- a request that gets no answer (refused connection, reset, timeout) or a reverse proxy's
  502/503/504 (the platform restarting behind it: VNOT.post's GATEWAY) is sent again after 3 s
  (RETRY_MS); a 400 is dropped; any other status stops the queue (``stalled``: the page then says
  why) until the next success.

Each request's time to response is measured (``Stats``), and each student remembers what the server
acknowledged and the newest answer of each position, so a run can compare them with the database.
One ``httpx.AsyncClient`` holds all the students' connections. The CSRF token is a cookie and its
header, as the browser sends them; the student is ``?student=<id>``, as the workbench names users.
"""
import asyncio
import dataclasses
import random
import secrets
import string
import time

import httpx

RETRY_SECONDS = 3.0   # RETRY_MS of assessment_student.js
GATEWAY = (502, 503, 504)   # VNOT.post's GATEWAY: "offline", sent again after RETRY_MS
BATCH = 50
CSRF = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def http_client(connections, timeout=120.0):
    """One client for many students: the CSRF cookie set, up to ``connections`` open at once."""
    return httpx.AsyncClient(cookies={"csrftoken": CSRF}, headers={"X-CSRFToken": CSRF},
                             limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
                             timeout=httpx.Timeout(timeout))


@dataclasses.dataclass
class Stats:
    """Requests answered (time to response, seconds), by status; requests that got no answer."""

    latencies: list = dataclasses.field(default_factory=list)
    statuses: dict = dataclasses.field(default_factory=dict)
    no_answer: int = 0
    errors: list = dataclasses.field(default_factory=list)

    def answered(self, status, seconds, what=""):
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500:
            self.errors.append(f"{status} {what}")

    def error_count(self):
        return sum(count for status, count in self.statuses.items() if status >= 500)


async def post(http, url, body, stats, what=""):
    """(status, JSON body) or None when no answer came (the browser's network failure)."""
    began = time.perf_counter()
    try:
        response = await http.post(url, json=body)
    except httpx.TransportError:
        stats.no_answer += 1
        return None
    stats.answered(response.status_code, time.perf_counter() - began, what)
    try:
        data = response.json()
    except ValueError:
        data = {}
    return response.status_code, data


def handler_url(base, usage, name, user):
    return f"{base}/handler/{usage}/{name}/?student={user}"


class Student:
    """One browser of one student on the periodic test ``usage``."""

    def __init__(self, http, base, usage, user, stats, rng=None, request_id=None):
        self.http, self.base, self.usage, self.user, self.stats = http, base, usage, user, stats
        self.rng = rng or random.Random(user)
        self.request_id = request_id or secrets.token_hex(16)
        self.device = ""
        self.seq = 0
        self.items = []
        self.queue = []
        self.newest = {}      # position → (seq, response): the newest answer of each position
        self.acked = {}       # seq → (position, response, outcome) acknowledged by a 200
        self.refusals = []    # (status, error) answers that stopped the queue
        self.stalled = False
        self.inflight = False
        self._wake = asyncio.Event()

    def url(self, name):
        return handler_url(self.base, self.usage, name, self.user)

    async def call(self, name, body, retry_until=None):
        """POST to a handler, sent again every RETRY_SECONDS while no answer comes (until the
        loop time ``retry_until``, if given)."""
        loop = asyncio.get_running_loop()
        while True:
            answer = await post(self.http, self.url(name), body, self.stats, name)
            if answer is not None or (retry_until is not None and loop.time() > retry_until):
                return answer
            await asyncio.sleep(RETRY_SECONDS)

    async def start(self, code):
        status, view = await self.call("start", {"request_id": self.request_id, "code": code})
        if status == 200:
            self.device = view["device"]
            self.seq = max(self.seq, view.get("last_seq") or 0)
            self.items = view["paper"]["items"]
        return status, view

    # Answers -------------------------------------------------------------------------------

    def random_response(self, item):
        fmt = item["format"]
        if fmt == "mcq":
            return self.rng.choice([c["letter"] for c in item["choices"]])
        if fmt == "true_false":
            return {s["letter"]: self.rng.random() < 0.5 for s in item["statements"]}
        if fmt == "short":
            return str(self.rng.randint(-50, 50))
        return f"Bài làm {self.seq + 1} của {self.user}: lập bảng biến thiên."

    def answer(self, position=None, response=None):
        """Queue an answer (a random one to a random question unless given), as a click does."""
        if position is None:
            item = self.rng.choice(self.items)
            position, response = item["position"], self.random_response(item)
        self.seq += 1
        self.queue = [a for a in self.queue if a["position"] != position]
        self.queue.append({"seq": self.seq, "position": position, "response": response})
        self.newest[position] = (self.seq, response)
        self.stalled = False
        self._wake.set()

    async def flush(self):
        """Send the queue until it is empty (or stopped by a refusal), as ``flush`` in the page."""
        while self.queue and not self.stalled:
            batch = list(self.queue[:BATCH])
            answer = await post(self.http, self.url("save_answers"), {"device": self.device, "answers": batch},
                                self.stats, "save_answers")
            if answer is None:
                await asyncio.sleep(RETRY_SECONDS)
                continue
            status, body = answer
            if status in GATEWAY:
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if status == 200:
                self.stalled = False
                sent = {a["seq"]: a for a in batch}
                for result in body["results"]:
                    item = sent[result["seq"]]
                    self.acked[result["seq"]] = (item["position"], item["response"], result["outcome"])
                done = {r["seq"] for r in body["results"]}
                self.queue = [a for a in self.queue if a["seq"] not in done]
            elif status == 400:
                self.refusals.append((status, body.get("error")))
                self.queue = [a for a in self.queue if a not in batch]
            else:
                self.refusals.append((status, body.get("error")))
                self.stalled = True

    async def sender(self, stop):
        """Flush whenever an answer is queued, until ``stop`` is set and the queue is empty."""
        while True:
            await self.flush()
            if stop.is_set() and (not self.queue or self.stalled):
                return
            self._wake.clear()
            waiter = asyncio.ensure_future(self._wake.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            stopper.cancel()

    async def typist(self, stop, low, high):
        """Answer a question every ``low``–``high`` seconds (uniform) until ``stop`` is set."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), self.rng.uniform(low, high))
            except asyncio.TimeoutError:
                self.answer()

    async def sit(self, stop, low, high, stop_typing=None):
        """Answer (until ``stop_typing``, if given) and save until ``stop``; then send what is left."""
        await asyncio.gather(self.typist(stop_typing or stop, low, high), self.sender(stop))

    # Checking against the database --------------------------------------------------------

    def lost(self, saves):
        """What the server acknowledged or the student answered last that the database does not
        hold (``saves``: {seq: [position, response]} as httpserver.seed inspect reads them):
        a list of descriptions, empty when nothing is lost."""
        lost = []
        for seq, (position, response, outcome) in self.acked.items():
            if outcome == "stale":
                continue
            if saves.get(str(seq)) != [position, response]:
                lost.append(f"{self.user} seq {seq} ({outcome}): {saves.get(str(seq))!r} != {[position, response]!r}")
        final = {}
        for seq, (position, response) in saves.items():
            if position not in final or int(seq) > final[position][0]:
                final[position] = (int(seq), response)
        for position, (seq, response) in self.newest.items():
            if final.get(position) != (seq, response):
                lost.append(f"{self.user} position {position}: final {final.get(position)!r} != {(seq, response)!r}")
        return lost
