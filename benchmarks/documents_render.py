"""How long and how much memory does a ~30-page report with many tables and SVG charts take?

    .venv/bin/python benchmarks/documents_render.py [--sections 10] [--rows 45] [--repeat 3] [--no-trace]

No database, broker or network: the territory is an unsaved instance and every resource comes
from the project's static files through the restricted fetcher. The real annual report benchmark
(governance) can reuse `documents_measure.measure` and this file's `synthetic_sections`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from documents_measure import measure, print_table  # noqa: E402

from portal.documents.builders import report_context  # noqa: E402
from portal.documents.charts import bar_chart_svg, line_chart_svg  # noqa: E402
from portal.documents.rendering import render_pdf  # noqa: E402
from portal.models import Territory  # noqa: E402
from portal.reporting import ReportSection, ReportTable  # noqa: E402

AXES = [
    "Accompagnement à l'installation",
    "Conseil de santé et Collège des professionnels",
    "Internes et terrains de stage",
    "Formation continue",
    "Prévention et Mercredis de la santé",
    "Service sanitaire des étudiants",
    "Maisons de santé et CPTS",
    "Logement des internes",
    "Remplacements et exercice mixte",
    "Université de la santé",
]
COMMUNES = ["Cherbourg-en-Cotentin", "Valognes", "La Hague", "Les Pieux", "Bricquebec-en-Cotentin", "Barfleur"]


def synthetic_sections(count: int = 10, rows: int = 45) -> list[ReportSection]:
    """`count` sections, each with key figures, two charts and two tables (`rows` + 8 rows)."""
    years = ["2019", "2020", "2021", "2022", "2023", "2024", "2025"]
    sections = []
    for index in range(count):
        axis = AXES[index % len(AXES)]
        sections.append(
            ReportSection(
                title=f"{index + 1}. {axis}",
                text=(
                    "Ce chapitre présente l'activité de l'année, les actions de la fiche du contrat local "
                    "de santé et leurs indicateurs. " * 3
                ),
                figures=[
                    ("Dossiers suivis", str(40 + index * 3)),
                    ("Installations", str(5 + index)),
                    ("Partenaires", str(12 + index)),
                    ("Taux de réalisation", f"{60 + index},5 %"),
                ],
                charts=[
                    bar_chart_svg(
                        title=f"{axis} : activité par année",
                        labels=years,
                        values=[(i + 1) * (index + 2) * 1.5 for i in range(len(years))],
                    ),
                    line_chart_svg(
                        title="Évolution par profession",
                        labels=years,
                        series={
                            "Médecins généralistes": [i * 2 + index for i in range(len(years))],
                            "Infirmiers": [i * 3 for i in range(len(years))],
                            "Kinésithérapeutes": [i + 2 for i in range(len(years))],
                            "Internes": [(i * 5) % 11 for i in range(len(years))],
                        },
                    ),
                ],
                tables=[
                    ReportTable(
                        caption="Détail par commune",
                        headers=["Commune", "Profession", "Dossiers", "Installations", "Aides (€)", "Statut"],
                        rows=[
                            [
                                COMMUNES[r % len(COMMUNES)],
                                ["Médecin", "Infirmier", "Kiné", "Sage-femme"][r % 4],
                                str(r + 1),
                                str(r % 5),
                                f"{(r + 1) * 1500:,}".replace(",", "\u202f"),
                                ["en cours", "installé", "clos"][r % 3],
                            ]
                            for r in range(rows)
                        ],
                    ),
                    ReportTable(
                        caption="Indicateurs de la fiche action",
                        headers=["Indicateur", "Cible", "Réalisé"],
                        rows=[[f"Indicateur {r + 1}", str(10 + r), str(8 + r)] for r in range(8)],
                    ),
                ],
                order=index,
            )
        )
    return sections


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=10)
    parser.add_argument("--rows", type=int, default=45)
    parser.add_argument("--repeat", type=int, default=3, help="renders in the same process (memory growth)")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--output", help="write the PDF there to look at it")
    args = parser.parse_args()

    territory = Territory(name="Communauté d'agglomération du Cotentin", slug="cotentin", main_colour="#1d4f91")
    context = report_context(
        title="Bilan annuel 2025 du contrat local de santé",
        subtitle="Rapport au conseil communautaire",
        territory=territory,
        sections=synthetic_sections(args.sections, args.rows),
        introduction="Synthèse de l'année pour les élus et les partenaires du contrat local de santé.",
    )

    def render():
        return render_pdf(template_name="documents/report.html", context=context)

    runs = [
        measure(render, label=f"render {n + 1}/{args.repeat}", trace=not args.no_trace and n == 0)
        for n in range(args.repeat)
    ]
    print_table(runs)
    if args.output:
        Path(args.output).write_bytes(runs[-1].result.content)
        print(f"written to {args.output}")


if __name__ == "__main__":
    main()
