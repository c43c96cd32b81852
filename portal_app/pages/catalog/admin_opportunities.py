"""Admin panel, opportunities: every company's, a new one for a company, one to edit or delete."""

import reflex as rx

from ...components.admin_catalog import (
    LIMITS, currency_select, field, grid, messages, select, staff_detail, staff_top, text_input,
)
from ...components.catalog_doc import doc_status_badge
from ...components.company_search import company_search
from ...components.confirm import confirm_button
from ...components.forms import field_attrs, field_error, submission_field, submit_button, warn_unsaved
from ...components.i18n import t
from ...components.invoice_view import RIGHT, WRAP
from ...components.shell import card, page
from ...components.url_list import filter_bar, list_table
from ...services.catalog.catalog_rules import STAGES
from ...state.catalog.admin_opportunities import AdminOpportunityListState as L
from ...state.catalog.admin_opportunities import AdminOpportunityState as E
from ...components.link_button import link_button

STAGE_COLORS = {"prospecting": "gray", "qualification": "blue", "proposal": "amber", "negotiation": "violet",
                "won": "green", "lost": "red"}


def _row(item: rx.Var) -> rx.Component:
    company = item["company"].to(str)
    return rx.table.row(
        rx.table.cell(rx.link(item["name"].to(str), href=item["href"].to(str), weight="medium", style=WRAP),
                      data_label=t("admin.catalog.opp_col.name")),
        rx.table.cell(rx.text(company, title=company, style={**WRAP, "maxWidth": "28ch"}),
                      data_label=t("admin.catalog.opp_col.company")),
        rx.table.cell(doc_status_badge(item["stage"].to(str), item["stage_label"].to(str), STAGE_COLORS),
                      data_label=t("admin.catalog.opp_col.stage")),
        rx.table.cell(item["amount"].to(str), style=RIGHT, data_label=t("admin.catalog.opp_col.amount")),
        rx.table.cell(item["probability"].to(str), style=RIGHT, data_label=t("admin.catalog.opp_col.probability")),
        rx.table.cell(item["expected_close"].to(str), data_label=t("admin.catalog.opp_col.expected_close")),
        rx.table.cell(item["owner"].to(str), style=WRAP, data_label=t("admin.catalog.opp_col.owner")),
    )


@page(route="/admin/opportunities", title="Opportunities", access="staff", on_load=[L.load], self_guarded=True)
def admin_opportunities_page() -> rx.Component:
    closed = rx.checkbox(t("admin.catalog.closed_too"), checked=L.show_closed, on_change=L.set_closed, size="2")
    return card(
        *staff_top("admin.opportunities", "admin.catalog.opportunities_intro", L),
        rx.hstack(link_button(rx.icon("plus", size=14), t("admin.catalog.new_opportunity"),
                              href="/admin/opportunities/new")),
        filter_bar(L, statuses=STAGES, status_key="catalog.stage", search_key="opportunities.search",
                   label_key="admin.catalog.opp_col.stage", any_key="admin.catalog.any_stage",
                   extra=rx.fragment(company_search(L, input_id="opportunities-company",
                                                    label=t("admin.invoices.col.company"),
                                                    clear_label=t("tickets.company_any")), closed)),
        list_table(L, _row, none_key="admin.catalog.no_opportunities", none_match_key="opportunities.none_match",
                   empty_action=rx.link(t("admin.catalog.new_opportunity"), href="/admin/opportunities/new")),
    )


def _company() -> rx.Component:
    return rx.cond(
        E.is_new,
        rx.box(company_search(E, input_id="opportunity-company", errors=E.errors, label=t("admin.invoices.col.company"),
                              clear_label=t("admin.invoices.change_company")),
               field_error(E.errors, "company")),
        rx.hstack(rx.text(t("admin.invoices.col.company"), ":", size="2", weight="medium"),
                  rx.link(E.company_label, href=E.company_href, size="2", style=WRAP), spacing="2", wrap="wrap"),
    )


def _form() -> rx.Component:
    o, p = E.opportunity, "opp"
    stages = select("stage", o["stage"].to(str), [rx.el.option(t(f"catalog.stage.{s}"), value=s) for s in STAGES],
                    id_prefix=p)
    return rx.form(
        rx.vstack(
            rx.cond(E.is_new, submission_field(E.submission_id)),
            field(E.errors, "admin.catalog.opp_name", "name",
                  text_input("name", o["name"].to(str), id_prefix=p, limit="opportunity"), id_prefix=p),
            grid(
                field(E.errors, "admin.catalog.opp_col.stage", "stage", stages, id_prefix=p),
                field(E.errors, "admin.catalog.probability_pct", "probability",
                      text_input("probability", o["probability"].to(str), id_prefix=p, input_mode="numeric"),
                      id_prefix=p),
                field(E.errors, "admin.catalog.opp_col.amount", "amount",
                      text_input("amount", o["amount"].to(str), id_prefix=p, input_mode="decimal"), id_prefix=p),
                field(E.errors, "admin.catalog.currency", "currency", currency_select(o["currency"].to(str),
                                                                                       id_prefix=p), id_prefix=p),
                field(E.errors, "admin.catalog.opp_col.expected_close", "expected_close",
                      text_input("expected_close", o["expected_close"].to(str), id_prefix=p, limit="date",
                                 type="date"), id_prefix=p),
                field(E.errors, "admin.catalog.opp_col.owner", "owner_name",
                      text_input("owner_name", o["owner_name"].to(str), id_prefix=p), id_prefix=p),
            ),
            field(E.errors, "admin.catalog.description", "description",
                  rx.text_area(id=f"{p}-description", name="description", default_value=o["description"].to(str),
                               rows="4", width="100%", max_length=LIMITS["opportunity_description"],
                               **field_attrs(E.errors, "description")), id_prefix=p),
            rx.text(t("admin.catalog.opportunity_visible"), size="1", color="var(--gray-11)"),
            submit_button(rx.cond(E.is_new, t("admin.catalog.create_opportunity"), t("common.save")), E.busy),
            spacing="3", width="100%",
        ),
        on_submit=E.save, key=E.form_key, width="100%", custom_attrs=warn_unsaved(),
        no_validate=True,  # the server's messages at the fields, not the browser's bubble
    )


@page(route="/admin/opportunities/[id]", title="Opportunity", access="staff", on_load=[E.load], self_guarded=True)
def admin_opportunity_page() -> rx.Component:
    body = rx.vstack(
        rx.heading(rx.cond(E.is_new, t("admin.catalog.new_opportunity"), E.title), size="5", as_="h1", style=WRAP),
        messages(E),
        _company(),
        _form(),
        rx.cond(~E.is_new, confirm_button(
            t("admin.catalog.delete_opportunity"), title=t("admin.catalog.delete_opportunity_title").replace(
                "{name}", E.title), description=t("admin.catalog.delete_opportunity_text"),
            on_confirm=E.delete, variant="soft", disabled=E.busy)),
        spacing="4", width="100%",
    )
    return staff_detail(E, back_key="admin.catalog.all_opportunities", back_href="/admin/opportunities",
                        not_found_key="admin.catalog.opportunity_not_found", body=body)
