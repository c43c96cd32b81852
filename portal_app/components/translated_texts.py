"""A staff form's texts in the portal's other languages (services/translations.py): "In other
languages", folded away until opened, with each language's fields (`title_fi`, ...). An empty one
shows the default language's text as its placeholder: that is what a reader of the language gets."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx

from ..i18n import available_languages
from ..services.portal.config import text_languages, translated_field
from .forms import field_attrs, field_error
from .i18n import t
from .limits import max_length

LABEL = {"fontWeight": 500, "fontSize": "14px"}


def _input(values: rx.Var, errors: rx.Var, *, form: str, name: str, label_key: str, multi_line: bool, lang: str,
           lang_name: str, id_prefix: str) -> rx.Component:
    field = translated_field(name, lang)
    input_id = f"{id_prefix}-{field}"
    common = {"id": input_id, "name": field, "default_value": values[field].to(str), "width": "100%",
              "placeholder": values[name].to(str), "max_length": max_length(form, name), "lang": lang,
              **field_attrs(errors, field)}
    return rx.box(
        rx.el.label(t(label_key), f" ({lang_name})", html_for=input_id, style=LABEL),
        rx.text_area(rows="3", **common) if multi_line else rx.input(**common),
        field_error(errors, field),
        width="100%",
    )


def translated_texts(values: rx.Var, errors: rx.Var, *, form: str, fields: Sequence[tuple[str, str, bool]],
                     id_prefix: str, open_: rx.Var | bool = False) -> rx.Component:
    """`values`: the form's values, the default language's under `name` and the others under
    `name_<lang>`; `fields`: (name, label key, multi-line) in order; `open_`: shown unfolded (a
    message in it, or texts written)."""
    names = available_languages()
    return rx.el.details(
        rx.el.summary(t("translations.title"), style={"cursor": "pointer", **LABEL}),
        rx.vstack(
            rx.text(t("translations.intro"), size="2", color="var(--gray-11)"),
            *[_input(values, errors, form=form, name=name, label_key=label_key, multi_line=multi_line, lang=lang,
                     lang_name=names[lang], id_prefix=id_prefix)
              for lang in text_languages() for name, label_key, multi_line in fields],
            spacing="3", width="100%", style={"paddingTop": "8px"},
        ),
        open=open_, style={"width": "100%"},
    )
