"""Pages: one page per work list, each needing its list's action; the dashboard shows the counts as links."""

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app.core.permissions import may, requires
from app.extensions import db

from .lists import LISTS, SHOWN, WorkList

bp = Blueprint("worklists", __name__, template_folder="templates")


def _page(work: WorkList):
    def page():
        rows = db.session.scalars(work.query().limit(SHOWN)).all()
        return render_template("worklists/list.html", work=work, rows=[work.row(row) for row in rows],
                               total=_count(work))

    page.__name__ = work.name.replace("-", "_")
    page.__doc__ = f"The work list: {work.title.lower()}."
    return page


def _count(work: WorkList) -> int:
    return db.session.scalar(select(func.count()).select_from(work.query().order_by(None).subquery()))


for _work in LISTS:
    bp.add_url_rule(f"/work/{_work.name}", endpoint=_work.name.replace("-", "_"),
                    view_func=requires(_work.action)(_page(_work)))


@bp.app_template_global("work_counts")
def work_counts() -> list[tuple[str, int, str]]:
    """(title, count, link) of each work list the current user may see."""
    return [(work.title, _count(work), url_for(f"worklists.{work.name.replace('-', '_')}"))
            for work in LISTS if may(current_user, work.action)]
