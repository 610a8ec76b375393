"""The shared-supervision proposal as a tagged PDF for consultation (ward panels, KINs, the local
authority, MPs), from templates/supervision/proposal_pdf.html through config.pdf: the objective
for the proposal and today's arrangement, the weights, each group with its reasons, today's
groups and each ward's workload. The same figures as the page and the CSV
(supervision.recommendation), rounded only here, for display."""

from config.pdf import render_pdf
from supervision.forms import WEIGHT_LABELS
from supervision.recommendation import Recommendation

OBJECTIVE = (
    "The objective: the smallest possible largest group workload. Each group is one to three "
    "adjacent wards (boundaries within 50 m), one sergeant each."
)
GROUP_HEADER = ["Group", "Wards", "Workload", "Why"]
LOAD_HEADER = ["Ward", "Crimes", "ASB calls", "Local factors", "Workload"]


def whole(value) -> str:
    return f"{round(value):,}"


def _groups(clusters) -> list:
    return [
        [str(n), ", ".join(w.name for w in cluster.wards), whole(cluster.workload),
         " ".join(cluster.reasons)]
        for n, cluster in enumerate(clusters, start=1)
    ]  # fmt: skip


def _loads(rec: Recommendation) -> list:
    rows = []
    for load in rec.loads:
        factors = ", ".join(f"{n} {name}" for name, n in load.places.items()) or "–"
        factors += "".join(f"; SN base {base}" for base in load.sn_bases)
        rows.append([load.ward.name, str(load.crimes), str(load.asb_calls), factors,
                     whole(load.score)])  # fmt: skip
    return rows


def proposal_pdf(rec: Recommendation, *, on) -> bytes:
    weights = "; ".join(
        f"{WEIGHT_LABELS[name]}: {value}" for name, value in rec.weights.values.items()
    )
    context = {
        "title": f"Shared supervision: {rec.borough.name}, proposal of {on:%d %B %Y}",
        "objective": OBJECTIVE,
        "arrangement_header": ["Arrangement", "Groups", "Largest group workload"],
        "arrangements": [
            ["Proposal", str(len(rec.clusters)), whole(rec.objective_proposal)],
            ["Today", str(len(rec.today)), whole(rec.objective_today)],
        ],
        "workload": f"Workload: crimes (TNO, not ASB; {rec.period.label}) and ASB CAD calls "
                    f"({rec.period.calls_label}) and local factors, weighted. Weights: "
                    f"{weights}.",
        "notes": rec.notes,
        "groups": [("Proposed groups", _groups(rec.clusters)),
                   ("Today's groups", _groups(rec.today))],
        "group_header": GROUP_HEADER,
        "loads": _loads(rec),
        "load_header": LOAD_HEADER,
    }
    return render_pdf("supervision/proposal_pdf.html", context)
