"""Services that record that a member left the Network and make a former member a member again:
the row is kept with the date it left and a note, audited; every refusal (someone else, a stale
row, a member that already left, the Coordinator, the host of the Secretariat, no date, a date in
the future or before it joined, a note too long) changes nothing and writes no audit record; the
record of a former member stays consistent with the date it left; and a later reference load
neither adds back nor changes a member that left."""

import datetime
import io

import pytest
from django.utils import timezone

from compacts.actors.models import Organisation, StakeholderCategory
from compacts.core.exceptions import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from compacts.core.models import AuditRecord
from compacts.network import reference, selectors, services
from compacts.network.models import NetworkMember

pytestmark = pytest.mark.django_db

JOINED = datetime.date(2019, 1, 1)
LEFT = datetime.date(2024, 6, 30)


@pytest.fixture
def member(secretariat, un_entity):
    return services.network_member_upsert(
        actor=secretariat, organisation=un_entity, joined_on=JOINED, is_executive_committee=True
    )


def _unchanged(member: NetworkMember) -> None:
    """The member's row is as it was and no leave record was written."""
    row = NetworkMember.objects.get(pk=member.pk)
    assert (row.left_on, row.left_note) == (None, "")
    assert not AuditRecord.objects.filter(action="network.member.leave").exists()


class TestNetworkMemberLeave:
    def test_records_the_date_and_note_and_keeps_the_row(self, secretariat, member):
        """The row stays with the date and note; the audit record holds before and after; the
        member is no longer current and is listed among the former members."""
        left = services.network_member_leave(
            member=member, left_on=LEFT, note="  Mandate ended  ", actor=secretariat
        )
        assert (left.left_on, left.left_note) == (LEFT, "Mandate ended")
        assert (member.left_on, member.left_note) == (LEFT, "Mandate ended")
        row = NetworkMember.objects.get(pk=member.pk)
        assert (row.left_on, row.left_note, row.joined_on) == (LEFT, "Mandate ended", JOINED)
        record = AuditRecord.objects.get(action="network.member.leave")
        assert record.before == {"left_on": None, "left_note": ""}
        assert record.after == {"left_on": "2024-06-30", "left_note": "Mandate ended"}
        assert list(selectors.network_member_list()) == []
        assert list(selectors.network_member_list(status="former")) == [row]

    def test_a_date_on_the_day_it_joined_or_today_is_accepted(self, secretariat, un_entity):
        member = services.network_member_upsert(
            actor=secretariat, organisation=un_entity, joined_on=timezone.localdate()
        )
        services.network_member_leave(
            member=member, left_on=timezone.localdate(), note="", actor=secretariat
        )
        assert NetworkMember.objects.get(pk=member.pk).left_on == timezone.localdate()

    def test_a_member_without_a_date_it_joined_can_leave(self, secretariat, un_entity):
        member = services.network_member_upsert(actor=secretariat, organisation=un_entity)
        services.network_member_leave(member=member, left_on=LEFT, note="", actor=secretariat)
        assert NetworkMember.objects.get(pk=member.pk).left_on == LEFT

    def test_someone_else_is_refused(self, submitter, outsider, member):
        for actor in (submitter, outsider):
            with pytest.raises(PermissionDeniedError):
                services.network_member_leave(member=member, left_on=LEFT, note="", actor=actor)
        _unchanged(member)

    @pytest.mark.parametrize(
        ("left_on", "note", "message", "field"),
        [
            (None, "", "Give the date it left the Network.", "left_on"),
            (
                datetime.date(2018, 12, 31),
                "",
                "The date it left cannot be before the date it joined (2019-01-01).",
                "left_on",
            ),
            ("future", "", "The date cannot be in the future.", "left_on"),
            (LEFT, "x" * 301, "The note is longer than 300 characters.", "note"),
        ],
    )
    def test_bad_input_is_refused_naming_the_field(
        self, secretariat, member, left_on, note, message, field
    ):
        if left_on == "future":
            left_on = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(
            ApplicationError, match=message.replace("(", r"\(").replace(")", r"\)")
        ) as raised:
            services.network_member_leave(
                member=member, left_on=left_on, note=note, actor=secretariat
            )
        assert raised.value.extra == {"field": field}
        assert raised.value.status == 400
        _unchanged(member)

    @pytest.mark.parametrize(
        ("flags", "extra"),
        [
            ({"is_coordinator": True}, {"is_coordinator": True, "hosts_secretariat": False}),
            ({"hosts_secretariat": True}, {"is_coordinator": False, "hosts_secretariat": True}),
        ],
    )
    def test_the_coordinator_and_the_host_of_the_secretariat_are_refused(
        self, secretariat, un_entity, flags, extra
    ):
        member = services.network_member_upsert(actor=secretariat, organisation=un_entity, **flags)
        with pytest.raises(
            ConflictError, match="Change its record first, then record that it left"
        ) as raised:
            services.network_member_leave(member=member, left_on=LEFT, note="", actor=secretariat)
        assert raised.value.extra == extra
        _unchanged(member)

    def test_a_member_that_already_left_is_refused(self, secretariat, member):
        """A second departure is a conflict naming the first date; the first record stays."""
        stale = NetworkMember.objects.get(pk=member.pk)
        services.network_member_leave(member=member, left_on=LEFT, note="First", actor=secretariat)
        with pytest.raises(ConflictError, match="already left the Network on 2024-06-30") as raised:
            services.network_member_leave(
                member=stale, left_on=datetime.date(2025, 1, 1), note="Second", actor=secretariat
            )
        assert raised.value.extra == {"left_on": "2024-06-30"}
        row = NetworkMember.objects.get(pk=member.pk)
        assert (row.left_on, row.left_note) == (LEFT, "First")
        assert AuditRecord.objects.filter(action="network.member.leave").count() == 1

    def test_a_removed_member_is_a_clear_not_found(self, secretariat, member):
        stale = NetworkMember.objects.get(pk=member.pk)
        services.network_member_remove(actor=secretariat, member=member)
        with pytest.raises(NotFoundError, match="This record has already been removed."):
            services.network_member_leave(member=stale, left_on=LEFT, note="", actor=secretariat)
        assert not AuditRecord.objects.filter(action="network.member.leave").exists()

    def test_the_removal_of_a_former_member_keeps_the_date_it_left(self, secretariat, member):
        services.network_member_leave(member=member, left_on=LEFT, note="Gone", actor=secretariat)
        services.network_member_remove(actor=secretariat, member=member)
        record = AuditRecord.objects.get(action="network.member.delete")
        assert (record.before["left_on"], record.before["left_note"]) == ("2024-06-30", "Gone")


class TestFormerMemberRecord:
    def test_its_date_joined_cannot_move_after_the_date_it_left(self, secretariat, member):
        services.network_member_leave(member=member, left_on=LEFT, note="", actor=secretariat)
        with pytest.raises(ApplicationError, match="cannot be after the date it left") as raised:
            services.network_member_upsert(
                actor=secretariat,
                organisation=member.organisation,
                joined_on=datetime.date(2025, 1, 1),
            )
        assert raised.value.extra == {"field": "joined_on"}
        assert NetworkMember.objects.get(pk=member.pk).joined_on == JOINED

    def test_it_cannot_become_coordinator_or_host(self, secretariat, member):
        services.network_member_leave(member=member, left_on=LEFT, note="", actor=secretariat)
        for flag in ("is_coordinator", "hosts_secretariat"):
            with pytest.raises(ApplicationError, match="cannot be its Coordinator") as raised:
                services.network_member_upsert(
                    actor=secretariat, organisation=member.organisation, **{flag: True}
                )
            assert raised.value.extra == {"field": flag}
        row = NetworkMember.objects.get(pk=member.pk)
        assert not row.is_coordinator
        assert not row.hosts_secretariat

    def test_its_other_fields_can_still_be_corrected(self, secretariat, member):
        services.network_member_leave(member=member, left_on=LEFT, note="Gone", actor=secretariat)
        services.network_member_upsert(
            actor=secretariat, organisation=member.organisation, joined_on=LEFT, source="ToR"
        )
        row = NetworkMember.objects.get(pk=member.pk)
        assert (row.joined_on, row.source, row.left_on, row.left_note) == (
            LEFT,
            "ToR",
            LEFT,
            "Gone",
        )


class TestNetworkMemberRejoin:
    @pytest.fixture
    def former(self, secretariat, member):
        services.network_member_leave(member=member, left_on=LEFT, note="Gone", actor=secretariat)
        return NetworkMember.objects.get(pk=member.pk)

    def test_a_departure_recorded_by_mistake_is_undone(self, secretariat, former):
        services.network_member_rejoin(member=former, actor=secretariat)
        row = NetworkMember.objects.get(pk=former.pk)
        assert (row.left_on, row.left_note, row.joined_on) == (None, "", JOINED)
        record = AuditRecord.objects.get(action="network.member.rejoin")
        assert record.before == {"left_on": "2024-06-30", "left_note": "Gone"}
        assert list(selectors.network_member_list()) == [row]

    def test_it_joins_again_with_a_new_date(self, secretariat, former):
        services.network_member_rejoin(
            member=former,
            actor=secretariat,
            joined_on=datetime.date(2025, 3, 1),
            joined_note="Letter",
        )
        row = NetworkMember.objects.get(pk=former.pk)
        assert (row.joined_on, row.joined_note, row.left_on) == (
            datetime.date(2025, 3, 1),
            "Letter",
            None,
        )

    def test_a_current_member_is_refused(self, secretariat, member):
        with pytest.raises(ConflictError, match="has not left the Network"):
            services.network_member_rejoin(member=member, actor=secretariat)
        assert not AuditRecord.objects.filter(action="network.member.rejoin").exists()

    @pytest.mark.parametrize(
        ("joined_on", "note", "message", "field"),
        [
            ("future", "", "The date cannot be in the future.", "joined_on"),
            (datetime.date(2024, 6, 29), "", "cannot be before the date it left", "joined_on"),
            (datetime.date(2025, 1, 1), "x" * 301, "longer than 300 characters", "joined_note"),
        ],
    )
    def test_bad_input_changes_nothing(self, secretariat, former, joined_on, note, message, field):
        if joined_on == "future":
            joined_on = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(ApplicationError, match=message) as raised:
            services.network_member_rejoin(
                member=former, actor=secretariat, joined_on=joined_on, joined_note=note
            )
        assert raised.value.extra == {"field": field}
        row = NetworkMember.objects.get(pk=former.pk)
        assert (row.left_on, row.joined_on) == (LEFT, JOINED)
        assert not AuditRecord.objects.filter(action="network.member.rejoin").exists()

    def test_someone_else_is_refused(self, submitter, former):
        with pytest.raises(PermissionDeniedError):
            services.network_member_rejoin(member=former, actor=submitter)
        assert NetworkMember.objects.get(pk=former.pk).left_on == LEFT


class TestReferenceReload:
    def test_a_member_that_left_is_neither_added_back_nor_changed(self, secretariat):
        """``compacts reference`` adds the confirmed members; after one leaves, a reload keeps
        its row exactly as the Secretariat left it (still former, note kept) and says so."""
        for short_name in ("ILO", "UNODC"):
            Organisation.objects.create(
                name=short_name, short_name=short_name, category=StakeholderCategory.UN_ENTITY
            )
        reference.load_structure(stdout=io.StringIO())
        unodc = NetworkMember.objects.get(organisation__short_name="UNODC")
        services.network_member_leave(member=unodc, left_on=LEFT, note="Left", actor=secretariat)
        before = NetworkMember.objects.get(pk=unodc.pk)
        out = io.StringIO()
        reference.load_reference(stdout=out)
        text = out.getvalue()
        assert "UNODC left the Network on 2024-06-30; its record is kept" in text
        assert "1 members (1 former)" in text
        after = NetworkMember.objects.get(pk=unodc.pk)
        assert (after.left_on, after.left_note, after.updated_at) == (
            before.left_on,
            before.left_note,
            before.updated_at,
        )
        assert NetworkMember.objects.count() == 2
        assert [m.organisation.short_name for m in selectors.network_member_list()] == ["ILO"]
