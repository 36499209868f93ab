"""Reference data of the programme cycle, editable afterwards by the Management Unit.

None of it is confirmed by facts.md: the Committee's constituencies and their 3 seats each come
from the brief ("unconfirmed", facts.md §3.1); the eligibility checklist follows the fund's
published requirements (joint programme, government endorsement, GCM alignment, the 10 guiding
principles, the markers, facts.md §3.2-3.3); the technical review criteria are those the issue
names. Loading is idempotent and never overwrites an edited row.
"""

from django.db import transaction

from compacts.programmes.models import (
    ChecklistItem,
    Constituency,
    QuorumRule,
    ReviewCriterion,
    StateDeadline,
)

CONSTITUENCIES = [
    ("un-entities", "UN entities", 3),
    ("donors", "Donors", 3),
    ("countries", "Countries of origin, transit and destination", 3),
    ("stakeholders", "Other stakeholders", 3),
]
CHECKLIST = [
    ("joint", "At least two participating UN organisations, one of them convening"),
    ("government-endorsement", "Endorsed by the recipient government (letter attached)"),
    ("gcm-alignment", "Contributes to GCM objectives and names its primary objective"),
    ("guiding-principles", "Applies the GCM's ten guiding principles"),
    (
        "whole-of-society",
        "Engages government line entities or local authorities and civil society, "
        "migrants and affected communities",
    ),
    ("markers", "Gender, human rights and child-sensitivity markers justified"),
    ("call", "Within the call's dates, thematic priorities and eligible regions"),
]
CRITERIA = [
    ("joint-analysis", "Quality of the joint analysis"),
    ("guiding-principles", "Alignment with the ten guiding principles"),
    ("joint-nature", "Joint nature"),
    ("national-ownership", "National ownership"),
    ("markers", "Markers"),
    ("budget-realism", "Budget realism"),
]
DEADLINES = {
    "submitted": 30,
    "eligible": 60,
    "endorsed": 90,
    "document-submitted": 14,
    "technical-review": 30,
    "approved": 14,
}


@transaction.atomic
def load_reference(*, stdout) -> None:
    for order, (code, name, seats) in enumerate(CONSTITUENCIES):
        Constituency.objects.get_or_create(
            code=code, defaults={"name": name, "seats": seats, "sort_order": order}
        )
    for order, (code, text) in enumerate(CHECKLIST):
        ChecklistItem.objects.get_or_create(code=code, defaults={"text": text, "sort_order": order})
    for order, (code, name) in enumerate(CRITERIA):
        ReviewCriterion.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order, "max_score": 5}
        )
    if not QuorumRule.objects.exists():
        QuorumRule.objects.create(
            name="Chair and a majority of the constituencies",
            minimum_members=4,
            minimum_constituencies=3,
            chair_required=True,
        )
    for state, days in DEADLINES.items():
        StateDeadline.objects.get_or_create(state=state, defaults={"days": days})
    stdout.write("  programmes: constituencies, checklist, review criteria, quorum rule, deadlines")
