"""The activity's page: the activity with everything it shows, what its
section forms offer, and the answers of a section after a change (the
section again under htmx, a flash and the page otherwise) or a refusal
(the section with the reason next to the field)."""

from typing import Any

from flask import Response, abort, g
from sqlalchemy import select

from phpnet.plugin_api import (
    TeamMember,
    allowed_hint,
    current_team,
    db,
    human_size,
    may,
    render,
    saved,
    today_wib,
)
from plugins.supervision import bodies, linking
from plugins.supervision.blueprint import EDIT, MANAGE
from plugins.supervision.forms import DocumentForm, FindingForm, FollowUpForm
from plugins.supervision.models import Activity
from plugins.supervision.queries import with_details

DETAIL_PAGE = "supervision/activity.html"
DOCUMENT_KINDS = frozenset({"pdf", "jpeg", "png", "docx"})
# A section whose rows another section's form offers is answered together with
# that section, swapped out of band (a block of the page that renders both).
WITH_RELATED = {"bodies": "bodies_changed", "findings": "findings_changed"}


def activity_or_404(activity_id: int) -> Activity:
    """The activity of this regency with what its page shows, or 404."""
    found = db.session.execute(
        with_details(select(Activity)).filter_by(id=activity_id, regency_id=g.regency.id)
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def member_choices(regency_id: int, keep: set[int] | None = None) -> list[tuple[int, str]]:
    """Members of the team in force; members an activity already names stay
    offered when a newer decree left them out."""
    team = current_team(regency_id)
    members = sorted(team.members, key=lambda m: m.name) if team else []
    choices = [(m.id, f"{m.name} ({m.position.label})") for m in members]
    missing = (keep or set()) - {m.id for m in members}
    if missing:
        kept = db.session.execute(
            select(TeamMember).where(
                TeamMember.id.in_(missing), TeamMember.regency_id == regency_id
            )
        ).scalars()
        choices += [(m.id, f"{m.name} (tim terdahulu)") for m in kept]
    return choices


def finding_choices(activity: Activity) -> list[tuple[int, str]]:
    return [(f.id, f"Temuan {n}: {f.description[:60]}") for n, f in enumerate(activity.findings, 1)]


def follow_up_owners(activity: Activity) -> list[tuple[int, str]]:
    return member_choices(g.regency.id, {m.team_member_id for m in activity.members})


def detail(activity: Activity, **extra: Any) -> dict[str, Any]:
    """The context of the page; ``extra`` replaces a form or adds a refusal."""
    today = today_wib()
    can_edit = may(EDIT)
    finding_form = extra.pop("finding_form", None) or FindingForm(formdata=None)
    finding_form.set_bodies([(b.id, b.label) for b in activity.bodies])
    follow_up_form = extra.pop("follow_up_form", None) or FollowUpForm(formdata=None)
    follow_up_form.set_options(finding_choices(activity), follow_up_owners(activity))
    choice = extra.pop("choice", None) or bodies.Choice()
    return {
        "activity": activity,
        "body_counts": bodies.counts(activity.bodies),
        "links": {
            f.id: linking.links_of(g.regency, f, can_edit=can_edit) for f in activity.findings
        },
        "states": {f.id: f.state_on(today) for f in activity.follow_ups},
        "today": today,
        "can_edit": can_edit,
        "can_manage": may(MANAGE),
        "finding_form": finding_form,
        "follow_up_form": follow_up_form,
        "complete_forms": extra.pop("complete_forms", {}),
        "document_form": extra.pop("document_form", None) or DocumentForm(formdata=None),
        "document_hint": allowed_hint(DOCUMENT_KINDS),
        "human_size": human_size,
        "chooser": bodies.chooser(g.regency.id, choice) if can_edit else None,
        "notice_block": None,  # the section a notice (``saved``'s message) belongs to
        "body_refusal": None,
        "link_refusal": {},
        "follow_up_refusal": None,
        **extra,
    }


def section_saved(activity_id: int, block: str, message: str) -> Response:
    """After a change on the activity's page: under htmx its section again
    (read afresh, with the sections that offer what changed); otherwise a
    flash and the page."""
    db.session.expire_all()
    return saved(
        message,
        "supervision.activity",
        template=DETAIL_PAGE,
        block=WITH_RELATED.get(block, block),
        context=lambda: detail(activity_or_404(activity_id), notice_block=block),
        activity_id=activity_id,
    )


def section_invalid(activity: Activity, block: str, status: int = 422, **extra: Any) -> Response:
    """The section refused, with the reason next to its field."""
    return render(DETAIL_PAGE, block=block, status=status, **detail(activity, **extra))
