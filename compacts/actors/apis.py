"""The actors API: organisations (public reads; writes for coordinators), their memberships
and the role vocabulary. Mounted at ``/api/v1/``."""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from compacts.actors import selectors, services
from compacts.actors.models import Membership, Organisation, StakeholderCategory
from compacts.api.auth import public_auth, signed_in_auth
from compacts.api.pagination import Paginated
from compacts.api.schemas import MAX_ID, ErrorOut
from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.permissions import require

router = Router(tags=["organisations"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
OrganisationId = Path(..., ge=1, le=MAX_ID, description="The organisation's id.")


class OrganisationOut(Schema):
    id: int
    name: str = Field(..., description="The name in English (or the organisation's own language).")
    display_name: str = Field(..., description="The name in the language of the request.")
    short_name: str
    names: dict[str, str] = Field(..., description="Names by language code.")
    category: str = Field(..., description="Stakeholder category code.")
    category_label: str
    iati_type: str = Field(..., description="IATI OrganisationType code.")
    iati_identifier: str = Field(
        ..., description="IATI organisation identifier, e.g. XM-DAC-47066."
    )
    country: str | None = Field(None, description="ISO 3166 alpha-2 code of the country.")
    country_m49: str | None = None
    website: str
    is_illustrative: bool = Field(..., description="Demonstration data, not real.")

    @staticmethod
    def resolve_category_label(obj: Organisation) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_country(obj: Organisation) -> str | None:
        return obj.country.iso2 if obj.country_id else None

    @staticmethod
    def resolve_country_m49(obj: Organisation) -> str | None:
        return obj.country.m49 if obj.country_id else None


class OrganisationFilters(Schema):
    category: StakeholderCategory | None = Field(None, description="Stakeholder category code.")
    country: str | None = Field(
        None,
        min_length=2,
        max_length=3,
        pattern=r"^([A-Za-z]{2}|[0-9]{3})$",
        description="ISO alpha-2 code or M49 code.",
    )
    search: str | None = Field(None, max_length=200, description="Words in the name or identifier.")


class OrganisationCreateIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    category: StakeholderCategory
    short_name: str = Field("", max_length=50)
    names: dict[str, str] = Field(default_factory=dict)
    iati_type: str = Field("", max_length=3)
    iati_identifier: str = Field("", max_length=100)
    country: str | None = Field(None, max_length=3, description="ISO alpha-2 code or M49 code.")
    website: str = Field("", max_length=200)


class OrganisationUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=300)
    category: StakeholderCategory | None = None
    short_name: str | None = Field(None, max_length=50)
    names: dict[str, str] | None = None
    iati_type: str | None = Field(None, max_length=3)
    iati_identifier: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=3, description="ISO alpha-2, M49, or null.")
    website: str | None = Field(None, max_length=200)


class MembershipOut(Schema):
    id: int
    username: str
    person: str
    organisation: int
    role: str
    role_label: str
    starts_on: date | None
    ends_on: date | None
    is_current: bool

    @staticmethod
    def resolve_username(obj: Membership) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_person(obj: Membership) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_organisation(obj: Membership) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_role(obj: Membership) -> str:
        return obj.role.code

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return obj.role.label

    @staticmethod
    def resolve_is_current(obj: Membership) -> bool:
        return selectors.membership_is_current(obj)


class MembershipGrantIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    role: str = Field(..., min_length=1, max_length=50, description="Role code.")
    starts_on: date | None = None
    ends_on: date | None = None


class RoleOut(Schema):
    code: str
    name: str
    description: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.label

    @staticmethod
    def resolve_description(obj) -> str:
        from compacts.actors.roles import role_spec

        spec = role_spec(obj.code)
        return str(spec.description) if spec else obj.description


def _organisation_or_404(organisation_id: int) -> Organisation:
    organisation = selectors.organisation_get(organisation_id=organisation_id)
    if organisation is None:
        raise NotFoundError(_("There is no organisation with this id."), {"id": organisation_id})
    return organisation


def _country(code: str | None):
    """The framework country for an ISO alpha-2 or M49 code; ``None`` for an empty value."""
    if code is None or not code.strip():
        return None
    from compacts.framework.models import Country

    code = code.strip()
    country = (
        Country.objects.filter(m49=code.zfill(3)).first()
        if code.isdigit()
        else Country.objects.filter(iso2=code.upper()).first()
    )
    if country is None:
        raise ApplicationError(
            _("%(code)s is not a known country code.") % {"code": code},
            {"fields": {"country": _("Give an ISO alpha-2 code or an M49 code.")}},
        )
    return country


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def organisation_list_api(request, filters: Query[OrganisationFilters]):
    """Organisations of the register, by name; filter by category, country and search words."""
    return selectors.organisation_list(
        category=filters.category or "",
        country=filters.country or "",
        search=filters.search or "",
    )


@router.get(
    "/organisations/{int:organisation_id}",
    response={200: OrganisationOut, **ERRORS},
    auth=public_auth,
)
def organisation_get_api(request, organisation_id: int = OrganisationId):
    """One organisation."""
    return _organisation_or_404(organisation_id)


@router.post("/organisations", response={201: OrganisationOut, **ERRORS}, auth=signed_in_auth)
def organisation_create_api(request, payload: OrganisationCreateIn):
    """Add an organisation (platform administrators, Management Unit, Network Secretariat)."""
    require(request.auth, "actors.organisation.create")
    data = payload.dict()
    data["country"] = _country(data.get("country"))
    organisation = services.organisation_create(actor=request.auth, **data)
    return Status(201, organisation)


@router.patch(
    "/organisations/{int:organisation_id}",
    response={200: OrganisationOut, **ERRORS},
    auth=signed_in_auth,
)
def organisation_update_api(
    request, payload: OrganisationUpdateIn, organisation_id: int = OrganisationId
):
    """Change some of an organisation's details; only the fields sent change."""
    organisation = _organisation_or_404(organisation_id)
    require(request.auth, "actors.organisation.update", organisation)
    changes = payload.dict(exclude_unset=True)
    nullable = {"country"}
    refused = sorted(key for key, value in changes.items() if value is None and key not in nullable)
    if refused:
        raise ApplicationError(
            str(services.ORGANISATION_INVALID),
            {"fields": {key: _("This field cannot be null.") for key in refused}},
        )
    if "country" in changes:
        changes["country"] = _country(changes["country"])
    return services.organisation_update(actor=request.auth, organisation=organisation, **changes)


@router.get(
    "/organisations/{int:organisation_id}/memberships",
    response={200: list[MembershipOut], **ERRORS},
    auth=signed_in_auth,
)
@paginate(Paginated)
def membership_list_api(request, organisation_id: int = OrganisationId):
    """Who holds which role in the organisation (coordinators, and the organisation's members)."""
    organisation = _organisation_or_404(organisation_id)
    require(request.auth, "actors.membership.view", organisation)
    return selectors.membership_list(organisation=organisation)


@router.post(
    "/organisations/{int:organisation_id}/memberships",
    response={201: MembershipOut, **ERRORS},
    auth=signed_in_auth,
)
def membership_grant_api(
    request, payload: MembershipGrantIn, organisation_id: int = OrganisationId
):
    """Give a person a role in the organisation, optionally between two dates."""
    organisation = _organisation_or_404(organisation_id)
    require(request.auth, "actors.membership.grant", organisation)
    user = get_user_model().objects.filter(username=payload.username).first()
    if user is None:
        raise NotFoundError(
            _("There is no account with this username."), {"fields": {"username": payload.username}}
        )
    membership = services.membership_grant(
        actor=request.auth,
        user=user,
        organisation=organisation,
        role=payload.role,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, membership)


@router.delete(
    "/memberships/{int:membership_id}", response={204: None, **ERRORS}, auth=signed_in_auth
)
def membership_revoke_api(
    request, membership_id: int = Path(..., ge=1, le=MAX_ID, description="The membership's id.")
):
    """Take a role away now."""
    membership = Membership.objects.select_related("organisation").filter(pk=membership_id).first()
    if membership is None:
        # Refuse first, so that only those who may revoke learn whether an id exists.
        require(request.auth, "actors.membership.revoke", None)
        raise NotFoundError(_("There is no membership with this id."))
    services.membership_revoke(actor=request.auth, membership=membership)
    return Status(204, None)


@router.get("/roles", response={200: list[RoleOut], **ERRORS}, auth=public_auth, tags=["roles"])
@paginate(Paginated)
def role_list_api(request):
    """The role vocabulary: the codes memberships and permissions use."""
    return selectors.role_list()
