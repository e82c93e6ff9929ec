"""A mock OpenAI-compatible speech server for the checks that touch the voice routes, on 127.0.0.1 and an
ephemeral port: `POST /v1/audio/transcriptions` (multipart/form-data with `file`, `model` and
`response_format`, as `src/speech/stt.rs` sends it) answers `{"text": ...}`, and `POST /v1/audio/speech`
(JSON with `model`, `input`, `voice`, as `src/speech/tts.rs` sends it) answers a few bytes of
`audio/mpeg`. It never decodes the audio: whatever the recording, it hears a sentence, so the service's
own handling of the recording (its WAV header read for the length, the turn that follows) is what the
fuzz reaches, and a 5xx from the voice routes is the service's. A request the service should never send
(not multipart, no file, no model; no input or voice) gets a 400 and is counted as malformed.

Also `wav(...)`: small valid WAV bytes, for the access matrix and the fuzz's audio serializer."""

import io
import json
import struct
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# One MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz, mono) and silence: a few bytes of audio/mpeg.
MP3 = b"\xff\xfb\x90\xc4" + bytes(413)


def wav(samples=(0, 1200, -1200, 0), rate=16000):
    """A mono 16-bit PCM WAV file holding these samples."""
    data = b"".join(struct.pack("<h", max(-32768, min(32767, int(s)))) for s in samples)
    out = io.BytesIO()
    out.write(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE")
    out.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16))
    out.write(b"data" + struct.pack("<I", len(data)) + data)
    return out.getvalue()


def form_fields(content_type, body):
    """The fields of a multipart/form-data body: name -> (bytes, filename, content type)."""
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    msg = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not msg.is_multipart():
        return None
    fields = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            fields[name] = (part.get_payload(decode=True) or b"", part.get_filename(),
                            part.get_content_type())
    return fields


class MockSpeech:
    """The server; `url` is its `/v1` base URL, `counts` what it was asked."""

    def __init__(self):
        self.counts = {"transcriptions": 0, "syntheses": 0, "malformed": 0, "bytes_heard": 0}
        self.lock = threading.Lock()
        mock = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def reply(self, status, ctype, body):
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def refuse(self, message):
                mock.count("malformed")
                err = {"error": {"message": message, "type": "invalid_request_error"}}
                self.reply(400, "application/json", json.dumps(err).encode())

            def do_POST(self):
                n = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(n)
                if self.path == "/v1/audio/transcriptions":
                    self.transcribe(body)
                elif self.path == "/v1/audio/speech":
                    self.speak(body)
                else:
                    self.reply(404, "application/json", b'{"error":{"message":"not found"}}')

            def transcribe(self, body):
                fields = form_fields(self.headers.get("content-type", ""), body)
                if fields is None:
                    return self.refuse("not a multipart/form-data body")
                audio = fields.get("file")
                if not audio or not audio[0] or not fields.get("model", (b"",))[0]:
                    return self.refuse("`file` and `model` are required")
                mock.count("transcriptions", bytes_heard=len(audio[0]))
                text = (f"I would shard the index by tenant and cache frequent answers "
                        f"({len(audio[0])} bytes of {audio[2]} heard).")
                self.reply(200, "application/json", json.dumps({"text": text}).encode())

            def speak(self, body):
                try:
                    req = json.loads(body)
                except ValueError:
                    return self.refuse("not JSON")
                if not (isinstance(req, dict) and req.get("model") and req.get("input") and req.get("voice")):
                    return self.refuse("`model`, `input` and `voice` are required")
                mock.count("syntheses")
                self.reply(200, "audio/mpeg", MP3)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self, key, bytes_heard=0):
        with self.lock:
            self.counts[key] += 1
            self.counts["bytes_heard"] += bytes_heard

    def flags(self):
        """The service's flags that send both speech sides here."""
        return ["--stt-base-url", self.url, "--tts-base-url", self.url]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
