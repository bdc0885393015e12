"""A TCP proxy between the test's clients and the server, whose link can be cut: while cut, every
open connection is reset and every new one is reset as soon as it is accepted (what a school's
Wi-Fi dropping or a phone losing its signal looks like to a browser: no answer at all). With
``swallow`` set, requests reach the server but their answers are dropped and the client's
connection reset: the save is made, the browser never hears of it. With
``gateway=True`` it answers as Tutor's Caddy does in front of the LMS
(tutor/templates/apps/caddy/Caddyfile, ``reverse_proxy`` to lms:8000) when the LMS does not
accept connections: 502 Bad Gateway."""
import asyncio


class Proxy:
    def __init__(self, upstream_host, upstream_port, gateway=False):
        self.upstream = (upstream_host, upstream_port)
        self.gateway = gateway
        self.bad_gateway = 0
        self.cut = False
        self.swallow = False
        self.resets = 0
        self._open = set()
        self._server = None

    async def start(self):
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def close(self):
        self.cut_link()
        self._server.close()
        await self._server.wait_closed()

    def cut_link(self):
        """Cut: reset every open connection; refuse new ones until ``restore``."""
        self.cut = True
        for writer in list(self._open):
            self._reset(writer)

    def restore(self):
        self.cut = False

    def _reset(self, writer):
        self.resets += 1
        self._open.discard(writer)
        writer.transport.abort()

    async def _accept(self, reader, writer):
        if self.cut:
            self._reset(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            if self.gateway:
                self.bad_gateway += 1
                await reader.read(65536)
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await writer.drain()
                writer.close()
            else:
                self._reset(writer)
            return
        self._open.update((writer, up_writer))
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer, client=writer),
                             return_exceptions=True)
        for w in (writer, up_writer):
            self._open.discard(w)
            w.close()

    async def _pipe(self, reader, writer, client=None):
        try:
            while not self.cut:
                data = await reader.read(65536)
                if not data:
                    break
                if client is not None and self.swallow:
                    self._reset(client)
                    break
                writer.write(data)
                await writer.drain()
        finally:
            if self.cut or writer.transport.is_closing():
                self._reset(writer)
            elif writer.can_write_eof():
                writer.write_eof()
