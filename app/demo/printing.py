"""Demo label templates: one per kind, version 1 on the default stock, drafted by admin and approved by QA."""

from collections.abc import Callable

from app.auth.models import User
from app.printing import versions
from app.printing.models import KINDS
from labels.stock import STOCKS


def load_templates(author: User, approver: User, password: str, act_as: Callable[[User], User]) -> None:
    """Each kind's template, its version 1 by author, approved (signed) by approver; act_as names the actor."""
    for kind in KINDS:
        stock = STOCKS[kind]
        act_as(author)
        template = versions.create_template(f"{kind.capitalize()} label", kind, author)
        version = versions.add_version(template, author, {
            "stock_name": stock.name, "width_mm": stock.width_mm, "height_mm": stock.height_mm,
            "margin_mm": stock.margin_mm, "change_note": f"first layout, on the default {kind} stock"})
        versions.approve(version, act_as(approver), password, "demo: layout checked against the stock")
