"""Files the tests build themselves: .docx via python-docx, a minimal PDF with a text layer."""
from __future__ import annotations

import io


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_pdf(lines: list[str], pages: int = 1) -> bytes:
    """A PDF whose every page (one by default) has a text layer holding ``lines`` (ASCII, Helvetica)."""
    text_ops = ["BT", "/F1 11 Tf", "50 780 Td", "14 TL"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text_ops.append(f"({safe}) Tj T*")
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (5 + i) for i in range(pages)), pages),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objects += [  # pages are objects 5.., sharing the content stream (3) and font (4)
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_encrypted_docx(paragraphs: list[str] | None = None, password: str = "matkhau") -> bytes:
    """``make_docx`` saved with a password, as Word does it (ECMA-376 agile encryption, by msoffcrypto-tool)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(make_docx(paragraphs or ["Báo cáo mật."]))).encrypt(password, out)
    return out.getvalue()


def make_encrypted_pdf(lines: list[str]) -> bytes:
    """``make_pdf`` with a standard-security /Encrypt dictionary no empty password opens (a password-protected PDF)."""
    import re

    head = make_pdf(lines).split(b"xref\n", 1)[0]
    body = head + (b"6 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
                   + b"> /P -4 >>\nendobj\n")
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", body)]
    xref = b"xref\n0 7\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = (b"trailer\n<< /Size 7 /Root 1 0 R /Encrypt 6 0 R /ID [<" + b"ab" * 16 + b"><" + b"ab" * 16
               + b">] >>\nstartxref\n%d\n%%%%EOF\n" % len(body))
    return body + xref + trailer
