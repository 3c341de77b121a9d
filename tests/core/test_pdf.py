"""core.pdf: documents may carry data: images but never fetch anything."""

from __future__ import annotations

import base64
import http.server
import threading

from core.pdf import html_to_pdf

# A 1x1 PNG.
PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
    )
).decode()


def page(body: str) -> str:
    return f'<!doctype html><html lang="en"><body>{body}</body></html>'


def test_a_data_image_is_drawn():
    pdf = html_to_pdf(page(f'<p>Chart</p><img alt="" src="data:image/png;base64,{PIXEL}">'))
    assert pdf.startswith(b"%PDF")
    assert b"/Image" in pdf


def test_an_external_image_is_left_out_and_never_fetched():
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(base64.b64decode(PIXEL))

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/pixel.png"
        pdf = html_to_pdf(page(f'<p>Chart</p><img alt="" src="{url}">'))
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF")
    assert asked == []
    assert b"/Image" not in pdf
