"""Reads of the framework. Every list is built with a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from compacts.core.exceptions import NotFoundError
from compacts.framework.models import (
    Codelist,
    CodelistItem,
    Country,
    GcmAction,
    GcmObjective,
    GcmObjectiveSdgTarget,
    GcrArea,
    GcrObjective,
    GuidingPrinciple,
    Marker,
    Region,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    ThematicArea,
    ThematicAreaObjective,
)


def _not_found(what: str, key) -> NotFoundError:
    from django.utils.translation import gettext as _

    return NotFoundError(
        _("%(what)s %(key)s does not exist.") % {"what": what, "key": key}, {"key": str(key)}
    )


def objective_list() -> QuerySet[GcmObjective]:
    return (
        GcmObjective.objects.annotate(action_count=Count("actions"))
        .prefetch_related(
            Prefetch(
                "thematic_area_links",
                queryset=ThematicAreaObjective.objects.select_related("thematic_area"),
            )
        )
        .order_by("number")
    )


def objective_get(*, number: int) -> GcmObjective:
    if not 0 < number < 1000:
        from django.utils.translation import gettext as _

        raise _not_found(_("GCM objective"), number)
    objective = (
        GcmObjective.objects.prefetch_related(
            Prefetch("actions", queryset=GcmAction.objects.order_by("letter")),
            Prefetch(
                "sdg_links",
                queryset=GcmObjectiveSdgTarget.objects.select_related(
                    "target__goal"
                ).prefetch_related(
                    Prefetch(
                        "target__indicators",
                        queryset=SdgIndicator.objects.filter(is_gcm_linked=True),
                        to_attr="gcm_linked_indicators",
                    )
                ),
            ),
            Prefetch(
                "thematic_area_links",
                queryset=ThematicAreaObjective.objects.select_related("thematic_area"),
            ),
        )
        .filter(number=number)
        .first()
    )
    if objective is None:
        from django.utils.translation import gettext as _

        raise _not_found(_("GCM objective"), number)
    return objective


def action_list() -> QuerySet[GcmAction]:
    return GcmAction.objects.select_related("objective")


def principle_list() -> QuerySet[GuidingPrinciple]:
    return GuidingPrinciple.objects.all()


def gcr_objective_list() -> QuerySet[GcrObjective]:
    return GcrObjective.objects.all()


def gcr_area_list(*, health: bool | None = None) -> QuerySet[GcrArea]:
    areas = GcrArea.objects.select_related("parent")
    if health is not None:
        areas = areas.filter(is_health=health)
    return areas


def thematic_area_list() -> QuerySet[ThematicArea]:
    return ThematicArea.objects.select_related("confirmed_by").prefetch_related(
        Prefetch(
            "objective_links", queryset=ThematicAreaObjective.objects.select_related("objective")
        )
    )


def thematic_area_get(*, code: str) -> ThematicArea:
    area = thematic_area_list().filter(code=code).first()
    if area is None:
        from django.utils.translation import gettext as _

        raise _not_found(_("Thematic area"), code)
    return area


def marker_list() -> QuerySet[Marker]:
    return Marker.objects.select_related("confirmed_by").prefetch_related("levels")


def marker_get(*, code: str) -> Marker:
    marker = marker_list().filter(code=code).first()
    if marker is None:
        from django.utils.translation import gettext as _

        raise _not_found(_("Marker"), code)
    return marker


def goal_list() -> QuerySet[SdgGoal]:
    return SdgGoal.objects.annotate(
        target_count=Count("targets", distinct=True),
        indicator_count=Count("targets__indicators", distinct=True),
    ).order_by("number")


def goal_get(*, number: int) -> SdgGoal:
    if not 0 < number < 1000:
        from django.utils.translation import gettext as _

        raise _not_found(_("SDG goal"), number)
    goal = (
        SdgGoal.objects.prefetch_related(
            Prefetch(
                "targets",
                queryset=SdgTarget.objects.prefetch_related(
                    Prefetch(
                        "indicators", queryset=SdgIndicator.objects.select_related("repeat_of")
                    )
                ),
            )
        )
        .filter(number=number)
        .first()
    )
    if goal is None:
        from django.utils.translation import gettext as _

        raise _not_found(_("SDG goal"), number)
    return goal


def target_list(*, goal: int | None = None) -> QuerySet[SdgTarget]:
    targets = SdgTarget.objects.select_related("goal")
    if goal is not None:
        targets = targets.filter(goal__number=goal)
    return targets


def indicator_list(
    *, gcm_linked: bool | None = None, goal: int | None = None
) -> QuerySet[SdgIndicator]:
    indicators = SdgIndicator.objects.select_related("target", "repeat_of")
    if gcm_linked is not None:
        indicators = indicators.filter(is_gcm_linked=gcm_linked)
    if goal is not None:
        indicators = indicators.filter(target__goal__number=goal)
    return indicators


def region_list(*, level: str | None = None) -> QuerySet[Region]:
    regions = (
        Region.objects.select_related("parent")
        .annotate(
            country_count=Count("countries", distinct=True)
            + Count("sub_region_countries", distinct=True)
            + Count("intermediate_region_countries", distinct=True)
        )
        .order_by("m49")
    )
    if level:
        regions = regions.filter(level=level)
    return regions


def region_get(*, m49: str) -> Region:
    region = Region.objects.filter(m49=m49).first()
    if region is None:
        from django.utils.translation import gettext as _

        raise _not_found(_("Region"), m49)
    return region


def country_list(
    *,
    region: str | None = None,
    search: str | None = None,
    ldc: bool | None = None,
    lldc: bool | None = None,
    sids: bool | None = None,
) -> QuerySet[Country]:
    """Countries and areas; ``region`` is an M49 area code at any level."""
    countries = Country.objects.select_related("region", "sub_region", "intermediate_region")
    if region:
        countries = countries.filter(
            Q(region__m49=region) | Q(sub_region__m49=region) | Q(intermediate_region__m49=region)
            if region != "001"
            else Q(in_m49=True)
        )
    if search:
        term = search.strip()
        match = Q(name__icontains=term) | Q(iso2__iexact=term) | Q(iso3__iexact=term) | Q(m49=term)
        for language in ("fr", "es", "ar", "zh-hans", "ru"):
            match |= Q(**{f"names__{language}__icontains": term})
        countries = countries.filter(match)
    for field, value in (("is_ldc", ldc), ("is_lldc", lldc), ("is_sids", sids)):
        if value is not None:
            countries = countries.filter(**{field: value})
    return countries


def country_get(*, iso2: str) -> Country:
    country = (
        Country.objects.select_related("region", "sub_region", "intermediate_region")
        .filter(iso2=iso2.upper())
        .first()
    )
    if country is None:
        from django.utils.translation import gettext as _

        raise _not_found(_("Country"), iso2)
    return country


def codelist_list() -> QuerySet[Codelist]:
    return Codelist.objects.annotate(item_count=Count("items")).order_by("name")


def codelist_get(*, name: str) -> Codelist:
    codelist = (
        Codelist.objects.prefetch_related(
            Prefetch("items", queryset=CodelistItem.objects.order_by("sort_order"))
        )
        .filter(name=name)
        .first()
    )
    if codelist is None:
        from django.utils.translation import gettext as _

        raise _not_found(_("Codelist"), name)
    return codelist
