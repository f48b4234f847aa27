"""Sending ZPL to a Zebra printer over raw TCP (port 9100), and knowing whether it got there.

A raw port answers nothing by itself, so the job is framed by host status queries (``~HS``, ZPL II): the
printer answers three lines, each ``<STX>…<ETX><CR><LF>``. The first answer, before any label is sent, says
whether the printer can print (paper out, paused, head open, ribbon out, buffer full, corrupt memory, head too
cold or too hot: then nothing is sent). The second, asked after the labels, confirms the printer read the whole
job. Anything else (no connection, no answer within the timeout, the connection closed early, an answer that is
not a host status) is a failure in words; a failed job is never counted as printed.
"""

import socket
import time
from dataclasses import dataclass

STATUS_QUERY = b"~HS"
STX, ETX = b"\x02", b"\x03"
#: (string, field) of each ~HS flag that keeps a printer from printing, and what it means
FLAGS = (((0, 1), "paper out"), ((0, 2), "paused"), ((0, 5), "receive buffer full"), ((0, 9), "corrupt RAM"),
         ((0, 10), "head too cold"), ((0, 11), "head too hot"), ((1, 2), "head open"), ((1, 3), "ribbon out"))
ANSWER_MAX = 4096


class DeliveryFailed(Exception):
    """The printer did not take the job; the message says why in the printer's or the network's words."""


@dataclass(frozen=True)
class Status:
    """A parsed ~HS answer: its three strings' comma-separated fields."""

    strings: tuple[tuple[str, ...], ...]

    def problems(self) -> list[str]:
        return [words for (string, field), words in FLAGS if self.strings[string][field] == "1"]


def parse_status(answer: bytes) -> Status:
    """The three strings of a ~HS answer; anything else raises DeliveryFailed."""
    frames = [frame.split(ETX)[0] for frame in answer.split(STX)[1:]]
    strings = tuple(tuple(frame.decode("ascii", "replace").split(",")) for frame in frames)
    if len(strings) != 3 or len(strings[0]) < 12 or len(strings[1]) < 4:
        raise DeliveryFailed(f"the printer's answer to ~HS is not a Zebra host status: {answer[:80]!r}")
    return Status(strings)


def _read_status(connection: socket.socket, deadline: float, when: str) -> Status:
    answer = b""
    while answer.count(ETX) < 3:
        connection.settimeout(max(deadline - time.monotonic(), 0.001))
        try:
            chunk = connection.recv(ANSWER_MAX)
        except TimeoutError:
            raise DeliveryFailed(f"the printer did not answer its status (~HS) {when} in time") from None
        if not chunk:
            raise DeliveryFailed(f"the printer closed the connection {when}, before answering its status (~HS)")
        answer += chunk
        if len(answer) > ANSWER_MAX:
            raise DeliveryFailed(f"the printer's answer to ~HS {when} is too long for a host status")
    return parse_status(answer)


PARTLY = "; part of the job may have printed: check the printer before printing again"


def deliver(host: str, port: int, zpl: bytes, timeout: float) -> None:
    """Send the job and confirm the printer read it all; DeliveryFailed says why not (nothing is sent when the
    printer reports a problem before the job)."""
    deadline, sending = time.monotonic() + timeout, False
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.sendall(STATUS_QUERY)
            if problems := _read_status(connection, deadline, "before the job").problems():
                raise DeliveryFailed(f"the printer reports {', '.join(problems)}: nothing was sent")
            connection.settimeout(max(deadline - time.monotonic(), 0.001))
            sending = True
            connection.sendall(zpl + STATUS_QUERY)
            _read_status(connection, deadline, "after the job")
    except DeliveryFailed as error:
        raise DeliveryFailed(f"{error}{PARTLY if sending else ''}") from None
    except TimeoutError:
        raise DeliveryFailed(f"no answer from {host}:{port} within {timeout:g} s{PARTLY if sending else ''}") from None
    except OSError as error:
        raise DeliveryFailed(f"{host}:{port}: {error.strerror or error}{PARTLY if sending else ''}") from None
