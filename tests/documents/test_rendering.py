import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from pypdf import PdfReader

from portal.documents.builders import report_context
from portal.documents.charts import bar_chart_svg, line_chart_svg
from portal.documents.fetcher import FetchRefused, RestrictedURLFetcher, pdf_media_url
from portal.documents.rendering import RenderedPdf, render_pdf
from portal.reporting import ReportSection, ReportTable
from tests.portal.factories import TerritoryFactory


def pdf_text(pdf: RenderedPdf) -> str:
    reader = PdfReader(io.BytesIO(pdf.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def page_images(pdf: RenderedPdf) -> int:
    reader = PdfReader(io.BytesIO(pdf.content))
    return sum(len(page.images) for page in reader.pages)


@pytest.fixture
def territory():
    return TerritoryFactory.build(name="Communauté d'agglomération du Cotentin", slug="cotentin")


def test_report_renders_to_a_valid_pdf_with_its_sections_tables_and_page_numbers(territory):
    sections = [
        ReportSection(
            title="Accompagnement à l'installation",
            text="Le guichet unique a accompagné les professionnels.",
            figures=[("Dossiers ouverts", "42")],
            tables=[
                ReportTable(
                    caption="Installations par commune",
                    headers=["Commune", "Installations"],
                    rows=[[f"Commune n°{i}", str(i)] for i in range(60)],
                )
            ],
            charts=[bar_chart_svg(title="Installations par année", labels=["2023", "2024"], values=[4, 9])],
        ),
        ReportSection(title="Prévention", text="Mercredis de la santé."),
    ]
    pdf = render_pdf(
        template_name="documents/report.html",
        context=report_context(title="Bilan annuel 2025", territory=territory, sections=sections),
    )

    reader = PdfReader(io.BytesIO(pdf.content))
    assert pdf.content.startswith(b"%PDF-")
    assert len(reader.pages) == pdf.pages >= 4  # cover, contents, two sections (the long table spans pages)
    text = pdf_text(pdf)
    assert "Bilan annuel 2025" in text
    assert "Communauté d'agglomération du Cotentin" in text
    assert "Sommaire" in text
    assert "Accompagnement à l'installation" in text
    assert "Commune n°59" in text
    assert "Dossiers ouverts" in text
    assert f"Page 2 sur {pdf.pages}" in text
    # The cover page carries no running footer.
    assert "Page 1 sur" not in reader.pages[0].extract_text()
    assert reader.metadata.title == "Bilan annuel 2025"


def _structure_roles(node, found, depth=0):
    """The structure element types (/H1, /Table, /TH, /Figure…) under a PDF structure node."""
    node = node.get_object()
    if depth > 60:
        return found
    role = node.get("/S") if hasattr(node, "get") else None
    if role:
        found.add(str(role))
    kids = node.get("/K") if hasattr(node, "get") else None
    if kids is None:
        return found
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get"):
            _structure_roles(kid, found, depth + 1)
    return found


def test_report_is_a_tagged_pdf_ua_a_screen_reader_can_follow(territory):
    section = ReportSection(
        title="Accompagnement à l'installation",
        text="Le guichet unique a accompagné les professionnels.",
        tables=[ReportTable(caption="Par commune", headers=["Commune", "Installations"], rows=[["Valognes", "3"]])],
        charts=[bar_chart_svg(title="Installations par année", labels=["2023", "2024"], values=[4, 9])],
    )
    pdf = render_pdf(
        template_name="documents/report.html",
        context=report_context(title="Bilan annuel 2025", territory=territory, sections=[section]),
    )
    catalog = PdfReader(io.BytesIO(pdf.content)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] is True or str(catalog["/MarkInfo"]["/Marked"]) == "True"
    assert str(catalog["/Lang"]).startswith("fr")
    assert str(catalog["/ViewerPreferences"]["/DisplayDocTitle"]) == "True"  # the title, not the file name
    roles = _structure_roles(catalog["/StructTreeRoot"], set())
    assert {"/Table", "/TH", "/TD"} <= roles
    assert any(role.startswith("/H") for role in roles)


def test_cover_date_is_written_in_french(territory):
    import datetime

    pdf = render_pdf(
        template_name="documents/report.html",
        context={
            **report_context(title="Registre", territory=territory, sections=[]),
            "generated_at": datetime.date(2026, 2, 1),
        },
    )
    assert "Document établi le 1er février 2026" in pdf_text(pdf)


def test_pdf_embeds_the_font_shipped_with_the_project(territory):
    pdf = render_pdf(
        template_name="documents/report.html",
        context=report_context(title="Registre", territory=territory, sections=[ReportSection(title="Séances")]),
    )
    reader = PdfReader(io.BytesIO(pdf.content))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Source-Sans-3" in name for name in fonts), fonts


class _LeakServer:
    """A real HTTP server on the loopback that would hand out visible content if it were asked."""

    def __init__(self):
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                body = b'body::after { content: "RESEAU-ATTEINT"; }'
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def test_fetcher_refuses_local_files_and_network_urls_and_their_content_is_absent(territory, tmp_path, caplog):
    outside = tmp_path / "outside.css"
    outside.write_text('body::before { content: "FICHIER-LOCAL-LU"; }')
    fetcher = RestrictedURLFetcher()
    with _LeakServer() as server:
        pdf = render_pdf(
            template_name="documents_tests/hostile.html",
            context={
                "title": "Document piégé",
                "territory": territory,
                "local_css_url": outside.as_uri(),
                "http_css_url": f"{server.url}/style.css",
                "http_import_url": f"{server.url}/import.css",
                "http_image_url": f"{server.url}/image.png",
                "with_static_image": False,
            },
            url_fetcher=fetcher,
        )

    text = pdf_text(pdf)
    assert "Contenu attendu du document" in text
    assert "FICHIER-LOCAL-LU" not in text
    assert "RESEAU-ATTEINT" not in text
    assert "root:" not in text
    assert server.requests == []  # not one request reached the network
    refused = set(fetcher.refused)
    assert "file:///etc/passwd" in refused
    assert outside.as_uri() in refused
    assert {f"{server.url}/style.css", f"{server.url}/import.css", f"{server.url}/image.png"} <= refused
    assert "file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" in refused
    # Traversal out of the static and media folders, plain or percent-encoded.
    assert "https://documents.invalid/etc/passwd" in refused
    assert "https://documents.invalid/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd" in refused
    assert "https://documents.invalid/media/%2e%2e/%2e%2e/etc/passwd" in refused
    assert not [url for url in fetcher.served if "passwd" in url]
    assert page_images(pdf) == 0
    errors = [r.getMessage() for r in caplog.records if r.name == "portal.documents" and r.levelname == "ERROR"]
    assert any("file:///etc/passwd" in message for message in errors)


def test_fetcher_serves_a_static_image(territory):
    fetcher = RestrictedURLFetcher()
    pdf = render_pdf(
        template_name="documents_tests/hostile.html",
        context={
            "title": "Avec image",
            "territory": territory,
            "local_css_url": "file:///nonexistent.css",
            "http_css_url": "http://127.0.0.1:9/none.css",
            "http_import_url": "http://127.0.0.1:9/none.css",
            "http_image_url": "http://127.0.0.1:9/none.png",
            "with_static_image": True,
        },
        url_fetcher=fetcher,
    )
    assert "https://documents.invalid/static/documents_tests/logo-test.png" in fetcher.served
    assert "https://documents.invalid/static/css/print.css" in fetcher.served
    assert any(url.endswith(".woff") for url in fetcher.served)
    assert page_images(pdf) >= 1


def test_fetcher_serves_media_through_the_storage_api(db):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), (20, 60, 140)).save(buffer, format="PNG")
    territory = TerritoryFactory(name="Territoire au logo", slug="logo")
    territory.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    fetcher = RestrictedURLFetcher()

    pdf = render_pdf(
        template_name="documents/report.html",
        context=report_context(title="Bilan", territory=territory, sections=[]),
        url_fetcher=fetcher,
    )

    assert pdf_media_url(territory.logo.name) in fetcher.served
    assert fetcher.refused == []
    assert page_images(pdf) >= 1


def test_fetcher_refuses_a_missing_media_file_and_a_directory_escape(db):
    fetcher = RestrictedURLFetcher()
    default_storage.save("documents/present.txt", ContentFile(b"ok"))
    assert fetcher.fetch(pdf_media_url("documents/present.txt")).read() == b"ok"
    for url in (
        pdf_media_url("documents/absent.png"),
        "https://documents.invalid/media/..%2F..%2Fsettings.py",
        "https://documents.invalid/static/..%5C..%5Cetc%5Cpasswd",
        "https://other.example/static/css/print.css",
        "ftp://documents.invalid/static/css/print.css",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_charts_escape_their_labels_and_write_numbers_the_french_way():
    svg = bar_chart_svg(title="Aides <versées>", labels=["<script>", "2024"], values=[1234.5, 12000])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "Aides &lt;versées&gt;" in svg
    assert "1\xa0234,5" in svg
    assert "12\xa0000" in svg
    line = line_chart_svg(title="Internes", labels=["S1", "S2"], series={"Médecine": [3, 5], "Kiné": [1, 2]})
    assert line.startswith("<svg") and line.count("<polyline") == 2
    with pytest.raises(ValueError):
        line_chart_svg(title="x", labels=["a"], series={"s": [1, 2]})
