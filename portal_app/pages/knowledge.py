"""/kb and /kb/<id>: the knowledge base's articles by category, with search; public articles also
for visitors, without signing in."""

import reflex as rx

from ..components.forms import VISUALLY_HIDDEN
from ..components.i18n import t
from ..components.limits import max_length
from ..components.shell import card, page
from ..state.knowledge import ArticleState as A
from ..state.knowledge import KnowledgeState as K
from ..state.session import SessionState

MUTED = "var(--gray-11)"
# what the Markdown makes beyond headings, paragraphs, lists and code, which Radix's reset leaves bare:
# a table's cells apart and ruled (scrolling sideways on a phone, not the page), a quote set off
_CELL = {"border": "1px solid var(--gray-6)", "padding": "4px 8px", "textAlign": "left", "verticalAlign": "top"}
ARTICLE = {
    "overflowWrap": "anywhere",
    "& table": {"display": "block", "maxWidth": "100%", "overflowX": "auto", "borderCollapse": "collapse",
                "margin": "8px 0"},
    "& th": {**_CELL, "fontWeight": 600, "background": "var(--gray-3)"},
    "& td": _CELL,
    "& blockquote": {"borderLeft": "3px solid var(--gray-7)", "margin": "8px 0", "padding": "2px 12px",
                     "color": "var(--gray-11)"},
    # a link in running text is told by more than its colour (WCAG 1.4.1); one whose address was
    # dropped as unsafe (`javascript:`) is left as plain text, not a link to nowhere
    "& a[href]": {"textDecorationLine": "underline"},
    "& a:not([href]), & a[href='']": {"color": "inherit", "textDecoration": "none", "pointerEvents": "none"},
}
# user-written names (an article's category) wrap inside a phone's width, the whole name on hover
_WRAPS = {"whiteSpace": "normal", "overflowWrap": "anywhere", "maxWidth": "100%", "height": "auto"}


def _search_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.el.label(t("kb.search_label"), html_for="kb-q", class_name="sr-only", style=VISUALLY_HIDDEN),
            rx.input(id="kb-q", name="q", type="search", default_value=K.search, placeholder=t("kb.search_label"),
                     max_length=max_length("search", "articles"), style={"flex": "1", "minWidth": "0"}),
            rx.button(t("kb.search"), type="submit"),
            width="100%", spacing="2",
        ),
        on_submit=K.find, key=K.search, role="search", width="100%",
    )


def _category_link(item: rx.Var) -> rx.Component:
    return rx.link(item["name"].to(str), " (", item["count"].to(int).to_string(), ")", href=item["href"].to(str),
                   weight=rx.cond(item["current"].to(bool), "bold", "regular"),
                   aria_current=rx.cond(item["current"].to(bool), "page", "false"),
                   style={"overflowWrap": "anywhere", "maxWidth": "100%"})


def _categories() -> rx.Component:
    return rx.el.nav(
        rx.flex(rx.link(t("kb.all"), href=K.everything_href, weight=rx.cond(K.category == "", "bold", "regular"),
                        style={"whiteSpace": "nowrap"}),
                rx.foreach(K.categories, _category_link), wrap="wrap", style={"columnGap": "16px", "rowGap": "6px"}),
        aria_label=t("kb.categories"),
    )


def _article(item: rx.Var) -> rx.Component:
    return rx.box(
        rx.link(rx.heading(item["title"].to(str), size="4", as_="h2"), href=item["href"].to(str)),
        rx.badge(item["category"].to(str), variant="soft", margin_top="4px", style=_WRAPS),
        rx.text(item["excerpt"].to(str), size="2", color=MUTED, margin_top="4px"),
        width="100%", padding_y="8px", border_bottom="1px solid var(--gray-4)",
    )


def _pager() -> rx.Component:
    return rx.cond(K.page_text != "", rx.el.nav(rx.hstack(
        rx.cond(K.previous_href != "", rx.link(t("kb.previous"), href=K.previous_href)),
        rx.text(K.page_text, size="2", color=MUTED),
        rx.cond(K.next_href != "", rx.link(t("kb.next"), href=K.next_href)),
        spacing="4", align="center", wrap="wrap"), aria_label=t("kb.pages")))


def _list() -> rx.Component:
    empty = rx.vstack(
        rx.text(rx.cond((K.search != "") | (K.category != ""), t("kb.none_match"), t("kb.none_yet")),
                color=MUTED, role="status"),
        rx.cond((K.search != "") | (K.category != ""), rx.link(t("kb.clear"), href="/kb")),
    )
    return rx.cond(K.error != "",
                   rx.text(K.error, color="var(--red-11)", role="alert"),
                   rx.cond(K.rows.length() > 0, rx.vstack(rx.foreach(K.rows, _article), _pager(), spacing="1",
                                                          width="100%"),
                           rx.cond(K.loaded, empty)))


def _sign_in_hint(back: rx.Var) -> rx.Component:
    """For visitors: signing in shows customers' articles too; `back`: sign-in, then this page again."""
    sign_in = rx.link(t("kb.sign_in_link"), href=back, underline="always")  # a link in text: underlined
    return rx.cond(~SessionState.signed_in, rx.text(t("kb.sign_in"), " ", sign_in, size="2", color=MUTED))


@page(route="/kb", title="Knowledge base", access="any", on_load=[K.load])
def knowledge_page() -> rx.Component:
    return card(
        rx.heading(t("kb.title"), size="6", as_="h1"),
        rx.text(t("kb.intro"), color=MUTED),
        _sign_in_hint(K.sign_in_href),
        _search_form(),
        _categories(),
        _list(),
    )


@page(route="/kb/[id]", title="Article", access="any", on_load=[A.load], tab_title=rx.cond(A.found, A.title, ""))
def article_page() -> rx.Component:
    return card(
        rx.link(t("kb.back"), href="/kb"),
        rx.cond(
            A.found,
            rx.vstack(
                rx.heading(A.title, size="6", as_="h1", lang=A.text_lang),
                rx.hstack(rx.link(rx.badge(A.category, variant="soft", style=_WRAPS), href=A.category_href,
                                  style={"maxWidth": "100%"}),
                          rx.text(A.updated, size="2", color=MUTED), spacing="3", align="center", wrap="wrap"),
                # staff's Markdown, without raw HTML (react-markdown drops it, and unsafe link targets)
                rx.box(rx.markdown(A.body, use_raw=False, use_math=False, use_katex=False), width="100%",
                       class_name="kb-article", style=ARTICLE, lang=A.text_lang),
                spacing="3", width="100%",
            ),
            rx.cond(A.loaded, rx.vstack(
                rx.heading(t("kb.not_found"), size="6", as_="h1"),
                rx.text(t("kb.not_found_body"), color=MUTED),
                _sign_in_hint(A.sign_in_href),
                role="status",
            )),
        ),
    )
