"""Bimtek view of one session's test scores: pre-test and post-test (0-100,
optional) for every participant in one form, with the averages and the
average gain."""

from typing import Any

from flask import Response, request

from phpnet.plugin_api import Form, db, may, render, render_invalid, requires, saved
from plugins.bimtek import bodies, sessions
from plugins.bimtek.blueprint import EDIT, VIEW, bp, session_or_404
from plugins.bimtek.forms import scores_form
from plugins.bimtek.models import Participant, Session
from plugins.bimtek.views_participants import people_of

SCORES_PAGE = "bimtek/scores.html"


def _scores_page(
    found: Session, people: list[Participant] | None = None, form: Form | None = None
) -> dict[str, Any]:
    people = people_of(found) if people is None else people
    return {
        "found": found,
        "people": people,
        "names": bodies.place_names(bodies.place_of(p) for p in people),
        "place_of": bodies.place_of,
        "form": form or scores_form(people),
        "figures": sessions.figures_of(found),
        "can_edit": may(EDIT),
    }


@bp.route("/<int:session_id>/nilai", methods=["GET", "POST"])
@requires(VIEW, POST=EDIT)
def scores(session_id: int) -> Response:
    """The scores table; EDIT saves every score sent at once (a participant
    added since the form was loaded keeps theirs)."""
    found = session_or_404(session_id)
    if request.method == "GET":
        return render(SCORES_PAGE, **_scores_page(found))
    people = people_of(found)
    form = scores_form(people, request.form)
    if not form.validate_on_submit():
        return render_invalid(SCORES_PAGE, block="scores", **_scores_page(found, people, form))
    for person in people:
        person.pre_score = form[f"pre-{person.id}"].data
        person.post_score = form[f"post-{person.id}"].data
    db.session.commit()
    return saved(
        "Nilai pre-test dan post-test disimpan.", "bimtek.scores", template=SCORES_PAGE,
        block="scores", context=lambda: _scores_page(found), session_id=found.id,
    )  # fmt: skip
