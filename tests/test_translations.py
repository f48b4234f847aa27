"""The French catalogue covers every message, and no template holds text that bypasses it.

- Catalogue: the messages extracted from the code and templates (babel.cfg, the extraction `make translations` runs)
  are exactly the catalogue's, each with a French translation keeping its placeholders.
- Templates: every text node and human attribute (placeholder, title, aria-label, alt) of every template, and every
  label given to the page-field macros, goes through gettext; text outside ``_()`` fails.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations

from app.core.i18n import compile_catalogues

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "app" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TEMPLATES = sorted((ROOT / "app").glob("*/templates/**/*.html"))


def extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {message for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map, KEYWORDS) if message}


def catalogue():
    with CATALOGUE.open("rb") as po:
        return {m.id: m for m in read_po(po, locale="fr") if m.id}


def test_the_catalogue_holds_exactly_the_messages_of_the_code_and_templates():
    found, held = extracted(), set(catalogue())
    assert len(found) > 900
    assert not sorted(found - held), "messages missing from the French catalogue: run `make translations`"
    assert not sorted(held - found), "catalogue entries no longer used: run `make translations`"


def test_every_message_has_a_french_translation_with_the_same_placeholders():
    untranslated, broken = [], []
    for msgid, message in catalogue().items():
        if not message.string or message.fuzzy:
            untranslated.append(msgid)
        elif set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(message.string)):
            broken.append(msgid)
    assert not untranslated, f"untranslated: {untranslated}"
    assert not broken, f"placeholders differ: {broken}"


JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TAG = re.compile(r"<[^>]*>")
HUMAN_ATTRIBUTE = re.compile(r"""\s(?:placeholder|title|aria-label|alt)=(["'])(.*?)\1""", re.S)
LETTER = re.compile(r"[^\W\d_]")
#: attributes a macro writes into the tag it is called in (web/_fields.html): markup, not text
ATTRIBUTE_TEXT = re.compile(r"""[\w-]+=(["']).*?\1""")
MACRO_LABEL = re.compile(r"""\bf(?:ields)?\.(?:input|textarea|select)\(\s*[^,()]+,\s*(?:"[^"]*"|'[^']*'),\s*(["'])""")


def unwrapped(source: str) -> list[str]:
    """The text of a template that a reader sees without it passing through gettext."""
    masked = JINJA.sub(lambda m: " " if m.group(0).startswith("{{") else "\n", source)
    found = [text.strip() for text in TAG.split(masked) if LETTER.search(ATTRIBUTE_TEXT.sub("", text))]
    for tag in TAG.findall(JINJA.sub("", source)):
        found += [value for _, value in HUMAN_ATTRIBUTE.findall(tag) if LETTER.search(value)]
    found += [f"macro label at {m.start()}" for m in MACRO_LABEL.finditer(source)]
    return found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "app")))
def test_no_template_text_bypasses_gettext(template):
    assert unwrapped(template.read_text()) == []


def test_the_template_check_finds_hard_coded_text():
    assert unwrapped("<p>Lot {{ lot.number }} <b>{{ _('State') }}</b></p>") == ["Lot"]
    assert unwrapped('<input placeholder="scan here">') == ["scan here"]
    assert unwrapped('{{ f.input(action, "reason", "Reason") }}') == ["macro label at 3"]
    assert unwrapped("<p>{{ _('Lot %(n)s', n=lot.number) }} · {% if x %}°{% endif %}</p>") == []
    assert len(TEMPLATES) >= 56


def test_a_catalogue_is_compiled_when_missing_or_stale_and_left_alone_otherwise(tmp_path):
    shutil.copytree(CATALOGUE.parent.parent.parent, tmp_path, dirs_exist_ok=True)
    compiled = tmp_path / "fr" / "LC_MESSAGES" / "messages.mo"
    compiled.unlink(missing_ok=True)
    assert compile_catalogues(tmp_path) == [compiled]
    assert compile_catalogues(tmp_path) == []
    source = compiled.with_suffix(".po")
    os.utime(source, (compiled.stat().st_mtime + 10,) * 2)
    assert compile_catalogues(tmp_path) == [compiled]
    assert Translations.load(tmp_path, ["fr"]).gettext("Dashboard") == "Tableau de bord"
