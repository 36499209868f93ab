"""The progress-status method (docs/tracking.md), on cases computed by hand."""

import math

import pytest

from compacts.tracking.progress import ProgressStatus as S
from compacts.tracking.progress import progress_status


class WithTargetTests:
    def test_on_track(self):
        """y0=50 (2015), y=60 (2020), target 80 in 2030.
        CAGR = (60/50)^(1/5)-1 = 0.037137; CAGR_T = (80/50)^(1/15)-1 = 0.031830;
        R = 1.1668 >= 0.95: on track."""
        result = progress_status([(2015, 50), (2020, 60)], target_value=80, target_year=2030)
        assert result.status == S.ON_TRACK
        assert math.isclose(result.cagr, 0.0371372, abs_tol=1e-6)
        assert math.isclose(result.required_cagr, 0.0318296, abs_tol=1e-6)
        assert math.isclose(result.ratio, 1.16675, abs_tol=1e-4)

    def test_acceleration_needed(self):
        """y0=50, y=55 (2020), target 80 in 2030: CAGR = 1.1^(0.2)-1 = 0.019245;
        R = 0.019245/0.031830 = 0.6046: 0.60 <= R < 0.95."""
        result = progress_status([(2015, 50), (2020, 55)], target_value=80, target_year=2030)
        assert result.status == S.ACCELERATION_NEEDED
        assert math.isclose(result.ratio, 0.60462, abs_tol=1e-4)

    def test_limited(self):
        """y0=50, y=52 (2020): CAGR = 1.04^(0.2)-1 = 0.0078750; R = 0.2474."""
        result = progress_status(
            [(2015, 50), (2018, 51), (2020, 52)], target_value=80, target_year=2030
        )
        assert result.status == S.LIMITED
        assert math.isclose(result.ratio, 0.24741, abs_tol=1e-4)

    def test_deterioration(self):
        result = progress_status([(2015, 50), (2020, 45)], target_value=80, target_year=2030)
        assert result.status == S.DETERIORATION
        assert result.ratio < 0

    def test_target_achieved(self):
        result = progress_status([(2015, 50), (2020, 81)], target_value=80, target_year=2030)
        assert result.status == S.TARGET_ACHIEVED

    def test_lower_is_better(self):
        """Remittance cost 7 % (2015) -> 5 % (2021), target 3 % by 2030 (10.c).
        CAGR = (5/7)^(1/6)-1 = -0.054535; CAGR_T = (3/7)^(1/15)-1 = -0.054921;
        R = -1 * -0.054535 / 0.054921 = 0.99298: on track."""
        result = progress_status(
            [(2015, 7), (2021, 5)], higher_is_better=False, target_value=3, target_year=2030
        )
        assert result.status == S.ON_TRACK
        assert math.isclose(result.ratio, 0.99298, abs_tol=1e-4)


class WithoutTargetTests:
    @pytest.mark.parametrize(
        ("latest", "expected"),
        [
            # (y/100)^(1/5)-1: 110 -> 1.924 %, 104 -> 0.787 %, 101 -> 0.199 %, 95 -> -1.02 %
            (110, S.ON_TRACK),
            (104, S.ACCELERATION_NEEDED),
            (101, S.LIMITED),
            (95, S.DETERIORATION),
        ],
    )
    def test_thresholds(self, latest, expected):
        assert progress_status([(2015, 100), (2020, latest)]).status == expected

    def test_direction_flips_the_sign(self):
        """A falling series is progress when lower is better."""
        assert (
            progress_status([(2015, 100), (2020, 90)], higher_is_better=False).status == S.ON_TRACK
        )


class NotAvailableTests:
    def test_one_point(self):
        assert progress_status([(2020, 5)]).status == S.NOT_AVAILABLE

    def test_points_before_base_year_are_ignored(self):
        assert progress_status([(2010, 5), (2012, 6), (2016, 7)]).status == S.NOT_AVAILABLE

    def test_zero_base_value(self):
        assert progress_status([(2015, 0), (2020, 5)]).status == S.NOT_AVAILABLE

    def test_base_year_is_first_year_after_configured_base(self):
        result = progress_status([(2017, 100), (2022, 110)], base_year=2015)
        assert (result.base_year, result.latest_year) == (2017, 2022)
