"""Synthetic practices at scale for benchmarks (``compacts seed --scale N``): 100,000 published
practices per unit of scale, each marked ``is_synthetic`` and titled "Synthetic practice ...".

Bulk inserts in batches, with the search index written in the same transaction as each batch;
rerunnable and resumable: it counts the synthetic practices already there and adds the rest.
"""

import random

from django.db import transaction
from django.utils import timezone

from compacts.framework.models import GcmObjective
from compacts.network import search
from compacts.network.models import Practice

PER_SCALE = 100_000
PER_SCALE_SMALL = 500  # ``compacts seed --small``: a quick look and tests
BATCH = 2_000
TITLE_PREFIX = "Synthetic practice"

WORDS = [
    "migration",
    "migrants",
    "health",
    "services",
    "access",
    "clinics",
    "vaccination",
    "children",
    "families",
    "women",
    "labour",
    "workers",
    "recruitment",
    "skills",
    "remittances",
    "diaspora",
    "return",
    "reintegration",
    "border",
    "management",
    "data",
    "statistics",
    "census",
    "integration",
    "inclusion",
    "education",
    "housing",
    "water",
    "sanitation",
    "protection",
    "rights",
    "detention",
    "alternatives",
    "trafficking",
    "smuggling",
    "climate",
    "disasters",
    "displacement",
    "regular",
    "pathways",
    "visas",
    "consular",
    "identity",
    "documents",
    "information",
    "campaigns",
    "community",
    "local",
    "authorities",
    "cities",
    "partnership",
    "cooperation",
    "capacity",
    "training",
    "officials",
    "ministry",
    "national",
    "plan",
    "policy",
    "legislation",
    "coordination",
    "network",
    "review",
    "progress",
    "indicators",
    "gender",
    "youth",
    "employment",
    "social",
    "security",
    "insurance",
    "digital",
    "platform",
    "mobile",
    "cross-border",
    "corridor",
    "languages",
    "interpretation",
    "referral",
    "counselling",
    "shelter",
    "reception",
    "assessment",
    "monitoring",
]
FILLER = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "for",
    "with",
    "on",
    "by",
    "through",
    "across",
    "among",
    "within",
    "under",
    "programme",
    "project",
    "approach",
    "results",
    "outcome",
    "support",
    "improved",
    "new",
    "local",
    "joint",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(
        rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(FILLER) for _ in range(words)
    )


def _practice(rng: random.Random, number: int, now) -> Practice:
    return Practice(
        title=f"{TITLE_PREFIX} {number}: {_text(rng, 6)}",
        summary=_text(rng, 20),
        description=_text(rng, 80),
        results=_text(rng, 30),
        innovation=_text(rng, 15),
        replicability=_text(rng, 15),
        language="en",
        state="published",
        published_at=now,
        is_synthetic=True,
    )


def seed_scale(*, stdout, scale: float = 1, small: bool = False) -> int:
    """Add synthetic practices up to ``scale`` x 100,000 (x 500 when ``small``); returns how
    many were added."""
    target = int((PER_SCALE_SMALL if small else PER_SCALE) * scale)
    existing = Practice.objects.filter(is_synthetic=True).count()
    objectives = list(GcmObjective.objects.values_list("pk", flat=True))
    through = Practice.objectives.through
    added = 0
    now = timezone.now()
    while existing + added < target:
        start = existing + added
        size = min(BATCH, target - start)
        rng = random.Random(start)  # deterministic per batch, so a rerun generates the same text
        with transaction.atomic():
            practices = Practice.objects.bulk_create(
                [_practice(rng, start + i + 1, now) for i in range(size)]
            )
            search.index_practices(practices)
            if objectives:
                through.objects.bulk_create(
                    [
                        through(practice_id=p.pk, gcmobjective_id=pk)
                        for p in practices
                        for pk in rng.sample(objectives, 2)
                    ]
                )
        added += size
        stdout.write(f"  network: {start + size:,} / {target:,} synthetic practices")
    if not added:
        stdout.write(f"  network: {existing:,} synthetic practices already there")
    return added
