"""The inventory's problem categories: the seeded list every regency sees,
and the regency's own, which its operator adds and switches on or off."""

from typing import Any

from flask import Response, abort, g, request

from phpnet.plugin_api import (
    db,
    render,
    render_invalid,
    requires,
    saved,
    scoped_or_404,
)
from plugins.inventory import entries
from plugins.inventory.blueprint import CATEGORY, MANAGE, VIEW, bp, may
from plugins.inventory.forms import CategoryForm, CategoryStateForm
from plugins.inventory.models import Category, Stage

CATEGORIES_PAGE = "inventory/categories.html"


def _categories_page(form: CategoryForm) -> dict[str, Any]:
    visible = entries.visible_categories(g.regency.id)
    return {
        "form": form,
        "seeded": [c for c in visible if c.regency_id is None],
        "own": [c for c in visible if c.regency_id is not None],
        "can_manage": may(MANAGE),
    }


def _name_taken(form: CategoryForm) -> bool:
    wanted = form.name.data.casefold()
    for category in entries.visible_categories(g.regency.id):
        if category.name.casefold() == wanted:
            inactive = " (nonaktif; aktifkan kembali di daftar)" if not category.is_active else ""
            form.name.errors.append(f"Kategori “{category.name}” sudah ada{inactive}.")
            return True
    return False


@bp.route("/kategori", methods=["GET", "POST"])
@requires(VIEW, POST=MANAGE)
def categories() -> Response:
    form = CategoryForm()
    if request.method == "GET":
        return render(CATEGORIES_PAGE, **_categories_page(form))
    if not form.validate_on_submit() or _name_taken(form):
        return render_invalid(CATEGORIES_PAGE, **_categories_page(form))
    added = Category(
        regency_id=g.regency.id,
        name=form.name.data,
        stage=Stage(form.stage.data) if form.stage.data else None,
        is_active=True,
    )
    db.session.add(added)
    db.session.commit()
    return saved(f"Kategori “{added.name}” ditambahkan.", "inventory.categories")


@bp.post(f"/kategori/{CATEGORY}/aktif")
@requires(MANAGE)
def set_category_active(category_id: int) -> Response:
    """Activate or deactivate one of the regency's own categories (the seeded
    ones have no regency, so they answer 404 here)."""
    category = scoped_or_404(Category, category_id)
    form = CategoryStateForm()
    if not form.validate_on_submit():
        abort(400)
    category.is_active = form.aktif.data == "1"
    db.session.commit()
    state = "diaktifkan" if category.is_active else "dinonaktifkan"
    return saved(
        f"Kategori “{category.name}” {state}.",
        "inventory.categories",
        template=CATEGORIES_PAGE,
        block="own",
        context=lambda: _categories_page(CategoryForm(formdata=None)),
    )
