"""IATI codelist checks: the shipped files, and framework's table when it holds the list."""

import pytest

from compacts.actors import codelists


class ShippedFileTests:
    def test_organisation_types_come_from_the_iati_list(self, db):
        types = codelists.organisation_types()
        assert len(types) == 16
        assert types["40"].name == "Multilateral"
        assert types["10"].names["fr"] == "Gouvernement"

    @pytest.mark.parametrize("code", ["10", "21", "40", "80"])
    def test_valid_types(self, db, code):
        assert codelists.organisation_type_error(code) is None

    @pytest.mark.parametrize("code", ["", "1", "99", "4O"])
    def test_invalid_types(self, db, code):
        assert "is not an IATI OrganisationType code" in codelists.organisation_type_error(code)

    @pytest.mark.parametrize(
        "identifier",
        ["XM-DAC-47066", "XM-DAC-41114", "GB-COH-01234567", "XI-IATI-UNPF", "XM-DAC-1-8"],
    )
    def test_well_formed_identifiers(self, db, identifier):
        assert codelists.identifier_error(identifier) is None

    @pytest.mark.parametrize(
        ("identifier", "fragment"),
        [
            ("47066", "such as XM-DAC-47066"),
            ("XM-DAC-", "such as XM-DAC-47066"),
            ("QQ-ZZZ-1", "QQ-ZZZ is not an IATI organisation registration agency"),
            ("XM-DAC-47066?x", "none of / & | ?"),
            ("XM-DAC 47066", "none of / & | ?"),
        ],
    )
    def test_malformed_identifiers(self, db, identifier, fragment):
        assert fragment in codelists.identifier_error(identifier)


class FrameworkTableTests:
    def test_the_framework_table_wins_when_it_holds_the_list(self, db):
        from compacts.framework.models import Codelist, CodelistItem

        codelist = Codelist.objects.create(name="OrganisationType")
        CodelistItem.objects.create(codelist=codelist, code="10", name="Government")
        CodelistItem.objects.create(codelist=codelist, code="11", name="Local", status="withdrawn")
        assert set(codelists.organisation_types()) == {"10", "11"}
        assert codelists.organisation_type_error("40") is not None
        assert "withdrawn" in codelists.organisation_type_error("11")
