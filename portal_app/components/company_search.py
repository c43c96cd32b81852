"""Staff's search-as-you-type company box: type a few letters of a name (or business id, or city),
pick one of the matches (Enter picks the first); once chosen it shows the company with a button to
choose again. Not a menu of every company (there may be thousands). The ticket inbox's company filter
and the staff forms that choose a company use it. The matches say so when there are none, and close
on Escape or when focus leaves the box (a click on a match keeps the focus, so the click lands)."""

from __future__ import annotations

import reflex as rx

from .browser_call import focus_when_shown, js_handler
from .i18n import t
from .limits import max_length

# a press on a match must not take the focus from the input first: its leaving would close the list
KEEP_FOCUS = js_handler("(e) => e.preventDefault()")


def company_search(state, *, input_id: str, label: rx.Var, clear_label: rx.Var,  # noqa: ANN001
                   errors: rx.Var | None = None) -> rx.Component:
    """`state` is a `CompanyMatches` (`company_matches`, `company_searched`, `find_companies(text)`,
    `close_company_matches(text)`) with `company_label`, `company_value` ('' while none is chosen) and
    `set_company(company_id)` ('' to choose again).

    A combobox for screen readers (its list's state in `aria-expanded`); with the keyboard, Enter picks
    the first match, ArrowDown goes into the matches and Escape (in the box or on a match) closes them; focus goes on to what
    replaced the box: the chosen company's "choose again" button, and back to the box from there.
    With a form's `errors`, the box is tied to its "company" message (`forms.field_attrs`)."""
    popup_id, clear_id = f"{input_id}-popup", f"{input_id}-clear"
    box_text = f"(document.getElementById('{input_id}')?.value ?? '')"
    chosen = rx.hstack(
        rx.badge(state.company_label, variant="soft", size="2", title=state.company_label,
                 style={"maxWidth": "240px", "overflow": "hidden", "textOverflow": "ellipsis"}),
        rx.button(clear_label, id=clear_id, variant="ghost", size="1", type="button",
                  on_click=[state.set_company(""), focus_when_shown(input_id)]),
        spacing="1", align="center",
    )
    open_ = state.company_searched != ""
    search = rx.box(
        rx.input(id=input_id, placeholder=t("tickets.company_search"), on_change=state.find_companies.debounce(250),
                 max_length=max_length("search", "people"), width="220px", auto_complete="off",
                 custom_attrs={"role": "combobox", "aria-autocomplete": "list", "aria-controls": popup_id,
                               "aria-expanded": rx.cond(open_, "true", "false"),
                               **({} if errors is None else {
                                   "aria-describedby": "company-error",
                                   "aria-invalid": rx.cond(errors.contains("company"), "true", "false")}),
                               # the browser's event (not Reflex's key): Enter on a match must not send the form
                               "onKeyDown": js_handler(
                                   f"(e) => {{ const first = document.querySelector('#{popup_id}:not([hidden]) button');"
                                   f" if (e.key === 'Escape') close({box_text});"
                                   f" else if (e.key === 'ArrowDown' && first) {{ e.preventDefault(); first.focus() }}"
                                   f" else if (e.key === 'Enter' && first) {{ e.preventDefault(); first.click() }} }}",
                                   close=state.close_company_matches)}),
        rx.box(
            rx.cond(
                state.company_matches.length() > 0,
                rx.el.ul(
                    rx.foreach(state.company_matches, lambda c: rx.el.li(rx.button(
                        c["label"], variant="ghost", size="1", type="button",
                        on_click=[state.set_company(c["value"]), focus_when_shown(clear_id)],
                        on_mouse_down=KEEP_FOCUS, title=c["label"],
                        style={"width": "100%", "justifyContent": "flex-start", "overflow": "hidden",
                               "textOverflow": "ellipsis", "whiteSpace": "nowrap"}))),
                    id=f"{input_id}-matches", aria_label=t("tickets.company_matches"),
                    style={"listStyle": "none", "margin": 0, "padding": 0},
                ),
                rx.cond(open_, rx.el.p(t("tickets.company_no_match"), role="status", style={
                    "margin": 0, "padding": "4px 8px", "fontSize": "13px", "color": "var(--gray-11)"})),
            ),
            id=popup_id, hidden=~open_,
            # Escape on a match closes the list too, and focus goes back to the box
            custom_attrs={"onKeyDown": js_handler(
                f"(e) => {{ if (e.key === 'Escape') {{ document.getElementById('{input_id}')?.focus();"
                f" close({box_text}) }} }}", close=state.close_company_matches)},
            style={"position": "absolute", "zIndex": 10, "padding": "4px", "background": "var(--color-panel-solid)",
                   "border": "1px solid var(--gray-6)", "borderRadius": "6px", "width": "240px",
                   "maxHeight": "260px", "overflowY": "auto"},
        ),
        on_blur=js_handler(f"(e) => {{ if (!e.currentTarget.contains(e.relatedTarget)) close({box_text}) }}",
                           close=state.close_company_matches),
        position="relative",
    )
    return rx.hstack(
        rx.el.label(label, html_for=input_id, style={"fontSize": "13px"}),
        rx.cond(state.company_value != "", chosen, search),
        spacing="2", align="center",
    )
