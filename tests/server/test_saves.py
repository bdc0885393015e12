"""Saves that arrive twice, late or from a second device, against the real server (gunicorn on
MariaDB, several worker processes: two requests of one student may run at once)."""
import asyncio

from server.sitting import CODE, Sitting, http_client, inspect, run


def test_the_same_save_twice_and_out_of_order(server, roster):
    """Reproduces a browser that sends a save again (its answer was lost, or the page was reloaded
    and sent its queue from localStorage) and saves that arrive out of order (two requests on two
    connections, the later one served first by another worker): the same number is one record
    ("already"); an older number never replaces a newer answer of its position ("stale"); a number
    reused for a different answer is refused and changes nothing."""
    group = roster(1)
    sitting = Sitting(server.url, group["usage"], group["students"])

    async def scenario():
        async with http_client(8) as http:
            student = sitting.student(http, sitting.users[0])
            assert (await student.start(CODE))[0] == 200
            mcq = next(item for item in student.items if item["format"] == "mcq")["position"]
            essay = next(item for item in student.items if item["format"] == "essay")["position"]
            url, device = student.url("save_answers"), student.device

            async def save(*answers):
                response = await http.post(url, json={"device": device, "answers": [
                    {"seq": seq, "position": position, "response": value} for seq, position, value in answers]})
                return response.status_code, response.json()

            first = await save((1, mcq, "B"))
            twice = await asyncio.gather(save((1, mcq, "B")), save((1, mcq, "B")))
            newer = await save((3, essay, "Bài làm lần hai."))
            older = await save((2, essay, "Bài làm lần một."))
            batch = await save((5, mcq, "D"), (4, mcq, "C"))  # one request, numbers out of order
            reused = await save((5, mcq, "A"))
            return student, mcq, essay, first, twice, newer, older, batch, reused

    student, mcq, essay, first, twice, newer, older, batch, reused = run(scenario())
    assert first[0] == 200 and first[1]["results"] == [{"seq": 1, "outcome": "saved"}] and first[1]["last_seq"] == 1
    assert [t[1]["results"] for t in twice] == [[{"seq": 1, "outcome": "already"}]] * 2
    assert newer[1]["results"] == [{"seq": 3, "outcome": "saved"}]
    assert older[1]["results"] == [{"seq": 2, "outcome": "stale"}]
    assert batch[1]["results"] == [{"seq": 4, "outcome": "saved"}, {"seq": 5, "outcome": "saved"}]
    assert reused[0] == 409 and reused[1]["error"] == "seq_reused"
    data, _lost = inspect(server, sitting.usage, [student])
    row = data["students"][student.user]
    assert row["attempts"] == 1
    assert row["saves"] == {"1": [mcq, "B"], "3": [essay, "Bài làm lần hai."], "4": [mcq, "C"], "5": [mcq, "D"]}
    assert data["audit"]["ok"]
    assert sitting.stats.error_count() == 0


def test_two_devices_at_once(server, roster):
    """Reproduces a student opening the test on a phone and a laptop (or handing the link to a
    friend) at the same moment: both pages start at once, on two workers. One attempt is made and
    bound to one browser; the other is refused ("other_device") and the refusal kept as an
    integrity event; its saves are refused and recorded too, while the first browser's saves go on.
    The same browser starting again (a retried start) gets its own token back."""
    group = roster(3)
    sitting = Sitting(server.url, group["usage"], group["students"])

    async def scenario():
        async with http_client(16) as http:
            pairs = [(sitting.student(http, user), sitting.student(http, user)) for user in sitting.users]
            starts = await asyncio.gather(*(s.start(CODE) for pair in pairs for s in pair))
            outcomes = []
            for (one, two), (first, second) in zip(pairs, zip(starts[::2], starts[1::2])):
                winner, loser = (one, two) if first[0] == 200 else (two, one)
                outcomes.append(sorted([first[0], second[0]]) + [(first if first[0] != 200 else second)[1]["error"]])
                loser.device = "0" * 64
                loser.items = winner.items
                winner.answer()
                loser.answer()
                await asyncio.gather(winner.flush(), loser.flush())
                again = await winner.call("start", {"request_id": winner.request_id, "code": CODE})
                outcomes.append((again[0], again[1]["device"] == winner.device))
                pair_order = (winner, loser)
                outcomes.append(pair_order)
            return outcomes

    outcomes = run(scenario())
    winners = []
    for started, again, (winner, loser) in zip(outcomes[::3], outcomes[1::3], outcomes[2::3]):
        assert started == [200, 409, "other_device"]
        assert again == (200, True)
        assert winner.refusals == [] and winner.queue == []
        assert loser.refusals == [(409, "other_device")]
        winners.append(winner)
    data, lost = inspect(server, sitting.usage, winners)
    assert lost == []
    for winner in winners:
        row = data["students"][winner.user]
        assert row["attempts"] == 1
        assert row["device_refused"] == 2  # the second start and its save
    assert data["audit"]["ok"]
    assert sitting.stats.error_count() == 0
