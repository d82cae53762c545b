"""The shop's backend: a small JSON API on 127.0.0.1:$PORT (standard library only)."""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PRODUCTS = [
    {"id": 1, "name": "teapot", "price": 18},
    {"id": 2, "name": "kettle", "price": 35},
]


class Api(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "up"})
        elif self.path == "/api/products":
            self.reply(200, PRODUCTS)
        else:
            self.reply(404, {"error": "no route " + self.path})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        sys.stderr.write("backend: " + (fmt % args) + "\n")


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("127.0.0.1", port), Api)
    print(f"backend ready on port {port}", flush=True)
    server.serve_forever()
