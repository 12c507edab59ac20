"""A minimal Socket Mode endpoint on loopback: Slack's side of the WebSocket, for `lead-bot run`.

The emulator's ``apps.connections.open`` hands out this server's ``ws://`` URL. The server does the
WebSocket handshake, says ``hello``, answers pings, pushes envelopes (slash commands, events) and
records the bot's acknowledgements, so a test can drive the real Socket Mode client end to end.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import uuid
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


class SocketModeServer:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"ws://127.0.0.1:{self.port}/link"
        self._cond = threading.Condition()
        self._clients: list[socket.socket] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self.connections = 0
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    # lifecycle ---------------------------------------------------------------------------
    def stop(self) -> None:
        self._closed = True
        self._listener.close()
        with self._cond:
            for client in self._clients:
                try:
                    client.close()
                except OSError:
                    pass

    def wait_connected(self, timeout: float = 20.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._clients, timeout):
                raise AssertionError("the bot never opened a Socket Mode connection")

    # pushing envelopes --------------------------------------------------------------------
    def push(self, kind: str, payload: dict[str, Any], *, timeout: float = 10.0) -> dict[str, Any]:
        """Send one envelope and wait for the bot's ack; returns the ack frame."""
        envelope_id = str(uuid.uuid4())
        frame = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                 "accepts_response_payload": kind != "events_api", "retry_attempt": 0, "retry_reason": ""}
        with self._cond:
            client = self._clients[-1]
        _send(client, TEXT, json.dumps(frame).encode())
        with self._cond:
            if not self._cond.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"no ack for {kind} envelope within {timeout}s")
            return self.acks[envelope_id]

    # internals ------------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            if not _handshake(client):
                client.close()
                return
            _send(client, TEXT, json.dumps({"type": "hello", "num_connections": 1,
                                            "connection_info": {"app_id": "A0001"}}).encode())
            with self._cond:
                self._clients.append(client)
                self.connections += 1
                self._cond.notify_all()
            while True:
                opcode, data = _receive(client)
                if opcode == PING:
                    _send(client, PONG, data)
                elif opcode == TEXT:
                    message = json.loads(data)
                    if "envelope_id" in message:
                        with self._cond:
                            self.acks[message["envelope_id"]] = message
                            self._cond.notify_all()
                elif opcode == CLOSE:
                    _send(client, CLOSE, data[:2])
                    return
        except (OSError, ConnectionError, ValueError):
            return
        finally:
            with self._cond:
                if client in self._clients:
                    self._clients.remove(client)
            client.close()


def _handshake(client: socket.socket) -> bool:
    request = b""
    while b"\r\n\r\n" not in request:
        chunk = client.recv(1024)
        if not chunk:
            return False
        request += chunk
    headers = {}
    for line in request.decode().split("\r\n")[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    key = headers.get("sec-websocket-key", "")
    accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
    client.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
    return True


def _send(client: socket.socket, opcode: int, data: bytes) -> None:
    header = bytes([0x80 | opcode])
    if len(data) < 126:
        header += bytes([len(data)])
    elif len(data) < 1 << 16:
        header += bytes([126]) + struct.pack("!H", len(data))
    else:
        header += bytes([127]) + struct.pack("!Q", len(data))
    client.sendall(header + data)


def _exactly(client: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = client.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _receive(client: socket.socket) -> tuple[int, bytes]:
    first, second = _exactly(client, 2)
    opcode, masked, length = first & 0x0F, second & 0x80, second & 0x7F
    if length == 126:
        length = struct.unpack("!H", _exactly(client, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", _exactly(client, 8))[0]
    mask = _exactly(client, 4) if masked else b"\0\0\0\0"
    data = bytes(b ^ mask[i % 4] for i, b in enumerate(_exactly(client, length)))
    return opcode, data
