"""The Safer Neighbourhoods performance framework (2011 SN report paragraph 29; MOPAC's 20:20:20):
each measure of a ward, borough, BCU or London, month by month, rated red, amber or green against
bands HQ edits (grey where data is missing, never green).

It reads the stored monthly reports (abstraction, cover, promises), so it lives in the top layer
with them; crime and ASB come from demand's counts, satisfaction from victims' visits, confidence
from the imported public attitude survey results (`ConfidenceResult`).

- `bands`: the measures, which way is better, and the rating rule (one place);
- `areas`: a ward, borough, BCU or London as the user may see it;
- `figures`: each measure's value, comparison and target, month by month;
- `confidence`: the survey file's format and its import."""
