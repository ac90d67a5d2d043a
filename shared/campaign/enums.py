"""The closed sets of values the campaign file uses: kinds, populations, levels, bases."""

from enum import StrEnum


class MovementKind(StrEnum):
    """What the plan calls it."""

    phong_trao = "phong_trao"  # phong trào thi đua: an emulation movement
    cuoc_van_dong = "cuoc_van_dong"  # cuộc vận động: a campaign of conduct
    chuong_trinh = "chuong_trinh"  # chương trình: a programme


class Population(StrEnum):
    """The units or people a target, or an award rule, is measured over."""

    affiliated_unions = "affiliated_unions"  # công đoàn trực thuộc CĐ DKVN
    grassroots_unions = "grassroots_unions"  # công đoàn cơ sở
    unions_all_levels = "unions_all_levels"  # công đoàn các cấp: every union in the tree
    members = "members"  # đoàn viên, người lao động


class Evidence(StrEnum):
    """What shows that a unit did what a `share_of_units` indicator asks."""

    registration_approved = "registration_approved"  # its registration (đăng ký) was approved
    report_filed = "report_filed"  # its result report states a positive `figure`


class CountedEvent(StrEnum):
    """What a `count` indicator counts, across the indicator's population."""

    initiative_submitted = "initiative_submitted"
    initiative_recognised = "initiative_recognised"


class ReviewKind(StrEnum):
    so_ket = "so_ket"  # sơ kết: an interim review
    tong_ket = "tong_ket"  # tổng kết: the final review


class ReportKind(StrEnum):
    plan = "plan"  # kế hoạch
    result = "result"  # kết quả


class AwardLevel(StrEnum):
    """Whose award it is: the level that decides it, in the order of precedence."""

    # Their names in Vietnamese and English: shared.i18n's `award_level` labels.
    confederation = "confederation"  # the Vietnam General Confederation of Labour
    federation = "federation"  # the federation whose plan this is
    affiliated_union = "affiliated_union"  # each affiliated union, for its own tree


class Recipient(StrEnum):
    collective = "collective"  # tập thể
    individual = "individual"  # cá nhân


class ScoreBasis(StrEnum):
    """What an award rule ranks and thresholds on."""

    # A unit's emulation score, 0 to 100: the points (awards.emulation_score) of the targets
    # it met in the phase.
    emulation_score = "emulation_score"
    # A person's best weighted council score among their recognised initiatives of the phase,
    # on the initiative review's scale.
    initiative_score = "initiative_score"


class Eligibility(StrEnum):
    """Conditions every candidate of an award rule must meet."""

    must_have_registered = "must_have_registered"  # the unit (a person's unit) registered
    must_have_filed_phase_report = "must_have_filed_phase_report"  # its result report, on time
    no_overdue_complaints = "no_overdue_complaints"  # no complaint case past its due date
    # Not already awarded for the same achievement (initiative, phase result) by this rule or
    # another: the higher award wins.
    no_duplicate_award_for_same_achievement = "no_duplicate_award_for_same_achievement"
