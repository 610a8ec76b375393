"""The shared-supervision proposal as a PDF for consultation (ward panels, KINs, the local
authority, MPs): the objective for the proposal and today's arrangement, the weights, each
group with its reasons, today's groups and each ward's workload. The same figures as the page
and the CSV (supervision.recommendation), rounded only here, for display."""

from html import escape

from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, Spacer

from config.pdf import document, table
from supervision.forms import WEIGHT_LABELS
from supervision.recommendation import Recommendation

OBJECTIVE = (
    "The objective: the smallest possible largest group workload. Each group is one to three "
    "adjacent wards (boundaries within 50 m), one sergeant each."
)


def whole(value) -> str:
    return f"{round(value):,}"


def _groups(clusters, styles, caption: str) -> list:
    small = styles["BodyText"]
    rows = [
        [str(n), Paragraph(escape(", ".join(w.name for w in cluster.wards)), small),
         whole(cluster.workload), Paragraph(escape(" ".join(cluster.reasons)), small)]
        for n, cluster in enumerate(clusters, start=1)
    ]  # fmt: skip
    if not rows:
        return [Paragraph(f"{caption}: the borough has no wards.", styles["Normal"])]
    return [
        Paragraph(caption, styles["Heading2"]),
        table(["Group", "Wards", "Workload", "Why"], rows, numeric_from=2),
    ]


def _loads(rec: Recommendation, styles) -> list:
    rows = []
    for load in rec.loads:
        factors = ", ".join(f"{n} {name}" for name, n in load.places.items()) or "–"
        factors += "".join(f"; SN base {base}" for base in load.sn_bases)
        factors = Paragraph(escape(factors), styles["BodyText"])  # wraps; markup escaped
        rows.append([load.ward.name, str(load.crimes), str(load.asb_calls), factors,
                     whole(load.score)])  # fmt: skip
    return [
        Paragraph("Each ward's workload", styles["Heading2"]),
        table(["Ward", "Crimes", "ASB calls", "Local factors", "Workload"], rows),
    ]


def proposal_pdf(rec: Recommendation, *, on) -> bytes:
    styles = getSampleStyleSheet()
    borough = escape(rec.borough.name)
    weights = "; ".join(
        f"{WEIGHT_LABELS[name]}: {value}" for name, value in rec.weights.values.items()
    )
    story = [
        Paragraph(f"Shared supervision: {borough}, proposal of {on:%d %B %Y}", styles["Title"]),
        Paragraph(escape(OBJECTIVE), styles["Normal"]),
        Spacer(0, 6),
        table(["Arrangement", "Groups", "Largest group workload"], [
            ["Proposal", str(len(rec.clusters)), whole(rec.objective_proposal)],
            ["Today", str(len(rec.today)), whole(rec.objective_today)],
        ]),  # fmt: skip
        Spacer(0, 6),
        Paragraph(
            escape(f"Workload: crimes (TNO, not ASB; {rec.period.label}) and ASB CAD calls "
                   f"({rec.period.calls_label}) and local factors, weighted. Weights: {weights}."),
            styles["Normal"],
        ),  # fmt: skip
        *[Paragraph(escape(note), styles["Normal"]) for note in rec.notes],
    ]
    story += _groups(rec.clusters, styles, "Proposed groups")
    story += _groups(rec.today, styles, "Today's groups")
    story += _loads(rec, styles)
    return document(story, title=f"Shared supervision proposal: {rec.borough.name}")
