"""Company: company fields per profile, and for company admins the company's contacts."""

import reflex as rx

from ..components.contacts_panel import contacts_panel
from ..components.field_form import field_form
from ..components.i18n import t
from ..components.shell import card, page
from ..state.contacts import ContactsState
from ..state.profile import CompanyState


@page(route="/company", title="Company", on_load=[CompanyState.load, ContactsState.load_for_company])
def company_page() -> rx.Component:
    return rx.vstack(
        card(
            rx.heading(t("company.title"), size="6", as_="h1"),
            # a company admin is the "portal admin" the general note sends people to: only we can change them
            # (a profile that shows no field says so in the form instead)
            rx.cond(~CompanyState.can_edit & (CompanyState.fields.length() > 0),
                    rx.text(rx.cond(ContactsState.manage, t("company.read_only_note_admin"), t("company.read_only_note")),
                            color="var(--gray-11)")),
            field_form(CompanyState, "company", "company"),
        ),
        rx.cond(ContactsState.manage, card(contacts_panel())),  # colleagues: company admins only
        spacing="5",
        width="100%",
    )
