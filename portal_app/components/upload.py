"""A drop zone labelled "Attachments" that streams files as they are dropped, with progress."""

from __future__ import annotations

import reflex as rx

from .i18n import t

NO_SHRINK = {"flexShrink": 0, "whiteSpace": "nowrap"}  # a file's size beside a long name


def _label_file_input(upload: rx.Component, label: rx.Var) -> rx.Component:
    """Name the drop zone's hidden file input (which Reflex renders itself) for screen readers."""
    file_input = upload.children[0].children[0]
    file_input.custom_attrs["aria-label"] = label
    return upload


def zone_face(text: rx.Var | str) -> rx.Component:
    """What a drop zone shows: its words in a dashed box (the zone itself takes the clicks and keys)."""
    return rx.box(rx.text(text, size="2", color="var(--gray-11)"),
                  padding="14px", border="1px dashed var(--gray-8)", border_radius="8px", width="100%",
                  cursor="pointer")


def attachments_field(state: type, upload_id: str) -> rx.Component:
    """`state` is a StagingState subclass (staged, upload_progress, upload_error, handlers)."""
    return rx.box(
        rx.text(t("ticket.form.attachments"), id=f"{upload_id}-label", weight="medium", size="2"),
        _label_file_input(rx.upload.root(
            zone_face(t("ticket.form.drop").replace("{max}", state.max_upload_mb.to_string())),
            id=upload_id,
            multiple=True,
            # no `max_files`: the drop zone would refuse a choice of 11 files whole and silently;
            # the server takes what the quota allows and says why it refused the rest
            role="group",
            aria_labelledby=f"{upload_id}-label",
            on_drop=state.stage_files(
                rx.upload_files_chunk(upload_id=upload_id, on_upload_progress=state.upload_started)),
            width="100%",
        ), t("ticket.form.choose_files")),
        rx.cond(state.upload_progress >= 0,
                rx.hstack(rx.progress(value=state.upload_progress, max=100, width="200px"),
                          rx.text(state.upload_progress.to_string() + "%", size="1"), role="status",
                          aria_label=t("admin.documents.uploading"))),
        rx.cond(state.upload_error != "", rx.text(state.upload_error, color="var(--red-11)", size="2", role="alert")),
        rx.foreach(state.staged, lambda f: rx.hstack(
            # a long name wraps; the icon and the size keep their width
            rx.icon("paperclip", size=14, flex_shrink="0"),
            rx.text(f["name"], size="2", style={"minWidth": 0, "overflowWrap": "anywhere"}),
            rx.text(f["size"], size="1", color="var(--gray-11)", style=NO_SHRINK),
            rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", type="button",
                           aria_label=t("common.delete") + " " + f["name"].to(str),
                           on_click=state.remove_staged(f["id"].to(int))),
            align="center")),
        display="flex", flex_direction="column", gap="6px", width="100%",
    )
