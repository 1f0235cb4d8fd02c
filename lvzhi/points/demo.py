"""示例数据: the default points policy of DESIGN §6 for 2025 and 2026 (the
city uses "六个一", the district "五个一"), scores, the 2025 assessment of the
demo member and two quarterly bulletins (Q2 2026 published, Q3 2026 to
review). Runs after the duties demo (INSTALLED_APPS order) and is
idempotent: existing policies, assessments and bulletins are left alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lvzhi.accounts.models import Area, Role, RoleAssignment
from lvzhi.org.models import Committee, Member
from lvzhi.points import services
from lvzhi.points.models import Assessment, Bulletin, Policy

SETS = {"demo-city": "six-ones", "demo-district": "five-ones"}


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    for committee in Committee.objects.filter(code__in=list(SETS)).order_by("id"):
        staff = (
            RoleAssignment.objects.filter(committee=committee, role=Role.STAFF, area=Area.DUTIES)
            .select_related("user")
            .first()
        )
        actor = staff.user if staff else None
        made = 0
        for year in (2025, 2026):
            if not Policy.objects.filter(committee=committee, year=year).exists():
                policy = services.policy_create_default(
                    committee=committee,
                    year=year,
                    actor=actor,
                    requirement_code=SETS[committee.code],
                )
                services.policy_activate(policy=policy, actor=actor)
                made += 1
        member = Member.objects.filter(
            committee=committee, person__user__username="weiyuan", term__is_current=True
        ).first()
        if member is not None and not Assessment.objects.filter(member=member, year=2025).exists():
            services.assessment_submit_report(
                member=member,
                actor=member.person.user,
                year=2025,
                text="2025年参加调研、视察和协商活动，提交提案和社情民意信息，完成年度履职项目。",
            )
            assessment = Assessment.objects.get(member=member, year=2025)
            services.assessment_review(
                assessment=assessment,
                actor=actor,
                adjustment=Decimal(2),
                reason="牵头完成界别重点调研",
                note="",
            )
            services.assessment_publish(assessment=assessment, actor=actor)
            made += 1
        for quarter, publish in ((2, True), (3, False)):
            if not Bulletin.objects.filter(
                committee=committee, year=2026, quarter=quarter
            ).exists():
                bulletin = services.bulletin_generate(
                    committee=committee, year=2026, quarter=quarter, actor=actor
                )
                if publish:
                    services.bulletin_publish(
                        bulletin=bulletin,
                        actor=actor,
                        note="请各界别督促委员完成年度基本履职要求。",
                    )
                made += 1
        if made:
            stdout.write(f"积分考核示例数据（{committee}）：新建 {made} 项")
        else:
            stdout.write(f"积分考核示例数据（{committee}）已存在，未作改动")
    return []
