"""A listener on 127.0.0.1 standing in for a Zebra printer's raw TCP port, in a thread of the test process.

It keeps every byte it receives and answers each ``~HS`` with a Zebra host status (three ``<STX>…<ETX><CR><LF>``
strings), ready or with the paper out; or it misbehaves as asked: closes at once, closes after its first status,
never answers. ``refusing_port()`` is a port where nothing listens.
"""

import socket
import threading

READY = (b"\x02030,0,0,0245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n"
         b"\x021234,0\x03\r\n")
PAPER_OUT = READY.replace(b"\x02030,0,0,", b"\x02030,1,0,", 1)
QUERY = b"~HS"
BEHAVIOURS = ("ready", "paper_out", "close_at_once", "close_after_status", "silent")


class FakePrinter:
    """with FakePrinter("ready") as printer: … printer.port … printer.zpl()"""

    def __init__(self, behaviour: str = "ready"):
        assert behaviour in BEHAVIOURS
        self.behaviour = behaviour
        self.received = b""
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, name=f"fake-printer-{self.port}", daemon=True)

    def __enter__(self) -> "FakePrinter":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.close()
        self.thread.join(timeout=10)

    def zpl(self) -> bytes:
        """What the printer was sent, without the status queries."""
        return self.received.replace(QUERY, b"")

    def _serve(self) -> None:
        try:
            connection, _ = self.server.accept()
        except OSError:  # closed before anyone connected
            return
        with connection:
            if self.behaviour == "close_at_once":
                return
            answered = 0
            while chunk := connection.recv(65536):
                self.received += chunk
                while self.received.count(QUERY) > answered:
                    answered += 1
                    if self.behaviour == "silent":
                        continue
                    connection.sendall(PAPER_OUT if self.behaviour == "paper_out" else READY)
                    if self.behaviour == "close_after_status":
                        return


def refusing_port() -> int:
    """A port of 127.0.0.1 where nothing listens (a connection to it is refused)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]
