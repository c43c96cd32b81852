"""One report's numbers: a bar chart per month (recharts, in a responsive container: no sideways
scroll on a phone) and the same numbers as a table with a caption and headers, for screen readers
and for reading exact values; the table scrolls inside its own box when it is wider than the screen.
The bars of each kind come from `services/reports/report_kinds.py` (its series, their names)."""

from __future__ import annotations

import json

import reflex as rx

from ..services.reports.report_kinds import KINDS, ReportKind
from .i18n import t

# Radix's step 11 of indigo, red, green, orange, purple and teal: the legend writes each series' name in
# its colour, and step 11 reads at 4.5:1 on white (step 9 read 3.0-3.9:1)
COLORS = ("#3a5bc7", "#ce2c31", "#218358", "#cc4e00", "#8145b5", "#008573")
CHART_HEIGHT = 320


def _series_order(kind: ReportKind) -> dict[str, rx.Var]:
    """Recharts 3 sorts a legend's and a tooltip's items by name; they keep the series' order (the table's)."""
    return {"itemSorter": rx.Var(f"((item) => {json.dumps(list(kind.series))}.indexOf(item.dataKey))")}


def _bars(state: type, kind: ReportKind) -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key="month"),
        rx.recharts.y_axis(allow_decimals=kind.money, width=70),
        rx.recharts.graphing_tooltip(custom_attrs=_series_order(kind)),
        rx.recharts.legend(custom_attrs=_series_order(kind)),
        *[rx.recharts.bar(data_key=series, name=t(kind.label_prefix + series), fill=COLORS[i % len(COLORS)],
                          stack_id=None if kind.money else "tickets", is_animation_active=False)
          for i, series in enumerate(kind.series)],
        data=state.chart_rows,
        height=CHART_HEIGHT,
        # no keyboard layer (a focusable svg): the chart is hidden from screen readers, the table says it
        custom_attrs={"accessibilityLayer": False},
    )


def _cell(text: rx.Var) -> rx.Component:
    return rx.el.td(text, style={"textAlign": "right", "padding": "4px 8px", "whiteSpace": "nowrap"})


def _table(state: type, caption: rx.Var, caption_lang: rx.Var | None) -> rx.Component:
    # a header breaks between words only (a series' name, "Waiting for customer"); where the columns then
    # need more room than a phone has, the table scrolls in its box rather than splitting words letter by letter
    head = {"textAlign": "right", "padding": "4px 8px", "borderBottom": "1px solid var(--gray-6)",
            "overflowWrap": "normal", "wordBreak": "normal", "minWidth": "5.5em"}
    return rx.box(
        rx.el.table(
            rx.el.caption(rx.el.span(caption, lang=caption_lang) if caption_lang is not None else caption,
                          style={"textAlign": "left", "fontWeight": 500, "paddingBottom": "6px"}),
            rx.el.thead(rx.el.tr(
                rx.el.th(t("reports.col.month"), scope="col", style={**head, "textAlign": "left"}),
                rx.foreach(state.headers, lambda h: rx.el.th(h, scope="col", style=head)),
            )),
            rx.el.tbody(rx.foreach(state.table_rows, lambda row: rx.el.tr(
                rx.el.th(row["month"].to(str), scope="row",
                         style={"textAlign": "left", "padding": "4px 8px", "fontWeight": 400, "whiteSpace": "nowrap"}),
                rx.foreach(row["cells"].to(list[str]), _cell),
                style={"borderBottom": "1px solid var(--gray-4)"},
            ))),
            style={"borderCollapse": "collapse", "fontSize": "14px", "minWidth": "100%"},
        ),
        # wider than a phone: it scrolls in its own box, which the keyboard can reach and scroll
        # (a shadow at the edge that has more: assets/readable.css)
        tab_index=0, role="region", aria_label=caption, id="report-table", class_name="scrolls-sideways",
        style={"overflowX": "auto", "maxWidth": "100%", "width": "100%"},
    )


def report_chart(state: type, caption: rx.Var, caption_lang: rx.Var | None = None) -> rx.Component:
    """The chart and the table of `state` (`state/reports.py` ChartVars), or the words for an empty one;
    `caption_lang`: the language of a caption staff wrote (the report's title), where it may differ
    from the page's."""
    return rx.vstack(
        rx.cond(state.empty, rx.text(t("reports.empty"), color="var(--gray-11)", role="status")),
        rx.box(
            rx.match(state.kind, *[(kind.key, _bars(state, kind)) for kind in KINDS], rx.fragment()),
            aria_hidden="true",  # the table below says the same to screen readers
            id="report-chart", width="100%", min_width="0", height=f"{CHART_HEIGHT}px",
        ),
        _table(state, caption, caption_lang),
        spacing="3", width="100%", style={"minWidth": 0},
    )
