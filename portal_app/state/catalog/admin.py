"""Admin panel, catalog: products (/admin/products: the list with a company's prices, categories, a
new product, the CSV import; /admin/products/<code>: edit, archive, picture) and price books
(/admin/price-books: the list and a new book; /admin/price-books/<id>: the book, its prices, the
companies it is assigned to, the CSV import of its prices). The shared pieces (staff's actions and
messages, lists in the URL, "New ..." dialogs, CSV imports) are in `admin_base.py`.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any, TypedDict
from urllib.parse import quote

import reflex as rx

from ...i18n import format_day, format_money, translate
from ...services.actor import Actor
from ...services.catalog import admin as catalog_admin
from ...services.catalog import csv_import, product_texts, products
from ...services.catalog.catalog_rules import IMAGE_MAX_BYTES, PRODUCT_SORTS
from ...services.edits import texts_of
from ...services.errors import ServiceError
from ...services.money import as_decimal, rate_decimal
from ...services.translations import form_values, refused_in
from ...services.validation import is_id
from .admin_base import (
    CompanyChooser, CompanyFilter, CsvImport, NewDialog, StaffList, StaffPage, checked, read_upload, typed,
)
from ..company_picker import CLOSED_MATCHES
from ..line_editor import plain
from ..base import field_errors, run_service, search_text, valid_page, while_busy
from .browse import vat_text
from ..base import last_segment
from ..form_merge import merged
from ..session import SessionState
from ..url_list import PAGE_SIZE, ListSpec

ENTRY_PAGE = 25
PRODUCT_FIELDS = ("code", "name", "description", "unit", "category_id", "list_price", "currency", "vat_rate")
PRODUCT_FLAGS = ("orderable", "whole_units")  # checkboxes: a flag each
BOOK_FIELDS = ("name", "currency", "valid_from", "valid_to")
PRODUCT_TRANSLATED = tuple(form_values({}, product_texts.PRODUCT_TEXTS))  # name_fi, description_fi, ...
CATEGORY_TRANSLATED = tuple(form_values({}, product_texts.CATEGORY_TEXTS))  # name_fi, ...

ASSIGNMENTS_CSV = "/api/admin/price-book-assignments.csv"  # (http/catalog.py)


class Choice(TypedDict):
    value: str
    label: str


def product_href(code: str) -> str:
    return "/admin/products/" + quote(code, safe="")


def image_src(code: str, version: str) -> str:
    """The picture's address; `version` changes with the picture, so no browser shows an old one."""
    return f"/api/catalog/{quote(code, safe='')}/image?v={version}"


def _categories(actor: Actor) -> list[products.CategoryView]:
    return run_service(products.list_categories, actor=actor)


def product_form(form: dict) -> dict[str, Any]:
    """The service's product data from a form: its fields as sent, the checkboxes as flags, the
    texts in the other languages when the form has them."""
    return {**{name: form.get(name, "") for name in PRODUCT_FIELDS},
            **{name: checked(form, name) for name in PRODUCT_FLAGS},
            **{name: form[name] for name in PRODUCT_TRANSLATED if name in form}}


# --- /admin/products ---------------------------------------------------------------------------------

class ProductItem(TypedDict):
    code: str
    href: str
    image: str  # '' without a picture
    name: str
    category: str
    price: str
    on_request: bool
    vat: str
    orderable: bool
    archived: bool


class CategoryItem(TypedDict):
    id: int
    name: str
    count: str


PRODUCT_LIST = ListSpec(path="/admin/products", statuses=("all",), sorts=PRODUCT_SORTS, default_sort="name",
                        columns=("name", "code", "category", "price", "vat", "kind"),
                        label_prefix="admin.catalog.col", extra=("category", "company"))


class AdminProductListState(CsvImport, NewDialog, CompanyFilter, StaffList, SessionState):
    """Every product (archived ones with "all"), with list prices or a chosen company's; the
    categories; "New product"; the products' CSV import."""

    rows: list[ProductItem] = []
    categories: list[Choice] = []
    category_rows: list[CategoryItem] = []
    category: str = ""
    price_note: str = ""
    category_key: int = 0
    category_form: dict[str, str] = {}  # the category being renamed: id, name, name_fi, ...
    category_open: bool = False
    category_form_key: int = 0
    _category_texts: dict[int, dict] = {}  # each category's names in the other languages

    def _spec(self) -> ListSpec:
        return PRODUCT_LIST

    def _fill(self, actor: Actor) -> None:
        sort, descending = self._sort()
        page = run_service(products.list_products, actor=actor, search=self._query.get("q", ""),
                           category=self._query.get("category"), sort=sort, descending=descending,
                           offset=self._offset(), limit=PAGE_SIZE, company_id=self._query.get("company"),
                           include_archived=self._query.get("status") == "all")
        t, lang = self._t, self.lang
        name = self._show_company(actor)
        if not name:
            note = t("admin.catalog.list_price_note")
        elif page.price_book:
            note = t("admin.catalog.company_prices", company=name, book=page.price_book)
        else:
            note = t("admin.catalog.company_list_prices", company=name)
        self._put(
            rows=[{"code": r.code, "href": product_href(r.code), "name": r.name, "category": r.category,
                   "image": image_src(r.code, "list") if r.has_image else "",
                   "price": t("catalog.price.on_request") if r.price_cents is None
                   else format_money(r.price_cents, r.currency, lang), "on_request": r.price_cents is None,
                   "vat": vat_text(r.vat_rate_bp, lang), "orderable": r.orderable, "archived": r.archived}
                  for r in page.rows],
            category=self._query.get("category", ""), price_note=note)
        self._show_page(page.total, "catalog.page_of")
        found = _categories(actor)
        self._category_texts = {c.id: c.translations for c in found}
        self._put(categories=[{"value": str(c.id), "label": c.name} for c in found],
                  category_rows=[{"id": c.id, "name": c.name, "count": str(c.products)} for c in found])

    def _clear(self) -> None:
        self._put(rows=[], total=0, loaded=False, categories=[], category_rows=[], price_note="")

    def _reset(self) -> None:
        self._put(errors={}, notice="", busy=False, new_open=False, category_open=False)
        self._clear_report()

    def _imported(self) -> None:
        self._follow(self._refill)

    @rx.event
    def set_category(self, category: str):
        if not isinstance(category, str) or not (category == "" or category in {c["value"] for c in self.categories}):
            return None
        return self._go(category=category or None)

    # --- a new product ---

    def _new_fields(self) -> tuple[str, ...]:
        return (*PRODUCT_FIELDS, *PRODUCT_FLAGS)

    def _make(self, actor: Actor, form_data: dict) -> str:
        return product_href(run_service(catalog_admin.create_product, actor=actor, data=product_form(form_data)).code)

    # --- categories ---

    @rx.event
    async def add_category(self, form_data: dict):
        async for update in while_busy(self, self._add_category, form_data):
            yield update

    def _add_category(self, form_data: dict):
        if not isinstance(form_data, dict):
            return
        name = form_data.get("category_name", "")
        ok, _ = self._attempt(lambda actor: run_service(catalog_admin.create_category, actor=actor, name=name,
                                                        position=len(self.category_rows)),
                              at="categories")
        if ok:
            self._done("admin.catalog.category_added", at="categories", name=typed(name)[:100])
            self.category_key += 1
            self._follow(self._refill)

    @rx.event
    def edit_category(self, category_id: int):
        """"Rename": the category's names, in every language, in a dialog."""
        row = next((r for r in self.category_rows if r["id"] == category_id), None)
        if row is None or self._staff_or_none() is None:
            return
        self._put(category_form={"id": str(category_id), "name": row["name"],
                                 **form_values(self._category_texts.get(category_id), product_texts.CATEGORY_TEXTS)},
                  category_open=True, errors={}, notice="")
        self.category_form_key += 1

    @rx.event
    def close_category(self, _open: Any = None, *_more: Any):
        self._put(category_open=False, errors={})

    @rx.event
    async def save_category(self, form_data: dict):
        async for update in while_busy(self, self._save_category, form_data):
            yield update

    def _save_category(self, form_data: dict):
        category_id = self.category_form.get("id", "")  # set by edit_category; the service reads it as an id
        if not isinstance(form_data, dict) or not self.category_open or not category_id:
            return
        texts = {name: form_data[name] for name in CATEGORY_TRANSLATED if name in form_data}
        ok, _ = self._attempt(lambda actor: run_service(catalog_admin.update_category, actor=actor,
                                                        category_id=category_id, name=form_data.get("name", ""),
                                                        texts=texts),
                              fields=("name", *CATEGORY_TRANSLATED), at="category")
        if ok:
            self._put(category_open=False)
            self._done("admin.catalog.category_saved", at="categories")
            self._follow(self._refill)

    @rx.event
    def delete_category(self, category_id: int):
        if not isinstance(category_id, int) or isinstance(category_id, bool):
            return
        ok, _ = self._attempt(lambda actor: run_service(catalog_admin.delete_category, actor=actor,
                                                        category_id=category_id), at="categories")
        if ok:
            self._done("admin.catalog.category_deleted", at="categories")
            self._follow(self._refill)

    # --- the CSV import ---

    @rx.event(background=True)
    async def import_csv(self, chunk_iter: rx.UploadChunkIterator):
        """Products from a CSV file, created or updated by code: all, or none if any row is bad."""
        await self._import(chunk_iter, csv_import.import_products)



# --- /admin/products/<code> --------------------------------------------------------------------------

class ProductForm(TypedDict):
    code: str
    name: str
    description: str
    unit: str
    category_id: str
    list_price: str
    currency: str
    vat_rate: str
    orderable: bool
    whole_units: bool


class AdminProductState(StaffPage, SessionState):
    """One product: its fields, archive or bring back, its picture."""

    found: bool = False
    missing: bool = False
    title: str = ""
    product: ProductForm = {}  # type: ignore[typeddict-item]
    archived: bool = False
    image: str = ""  # the picture's address; '' without one
    categories: list[Choice] = []
    form_key: int = 0
    image_busy: bool = False
    image_error: str = ""
    texts: dict[str, str] = {}  # "In other languages": the default texts (placeholders) and name_fi, ...
    texts_open: bool = False  # unfolded: texts written there, or a message about one
    _product_id: int = 0
    _shown: dict[str, str] = {}  # the form as drawn, for the save (`services.edits`)
    _told: dict[str, str] = {}  # values someone else saved meanwhile that a refused save showed

    def _show(self, actor: Actor) -> None:
        p = run_service(catalog_admin.get_product_by_code, actor=actor, code=last_segment(self))
        self._product_id = p.id
        texts, product = self._form_of(p)
        self._put(texts=texts, texts_open=bool(p.translations))
        self._put(
            found=True, missing=False, title=p.name, archived=p.archived,
            image=image_src(p.code, p.image_name[:8]) if p.image_name else "",
            categories=[{"value": str(c.id), "label": c.name} for c in _categories(actor)], product=product)
        self._shown, self._told = self._as_sent(texts, product), {}
        self.form_key += 1

    def _form_of(self, p: catalog_admin.ProductEditable) -> tuple[dict[str, str], ProductForm]:
        """The product's texts in other languages (with the default ones, their placeholders) and its
        form's fields, as the form shows them."""
        texts = {"name": p.name, "description": p.description, "unit": p.unit,
                 **form_values(p.translations, product_texts.PRODUCT_TEXTS)}
        product: ProductForm = {
            "code": p.code, "name": p.name, "description": p.description, "unit": p.unit,
            "category_id": str(p.category_id or ""), "list_price": plain(as_decimal(p.list_price_cents), self.lang),
            "currency": p.currency, "vat_rate": plain(rate_decimal(p.vat_rate_bp), self.lang),
            "orderable": p.orderable, "whole_units": p.whole_units}
        return texts, product

    @staticmethod
    def _as_sent(texts: dict[str, str], product: ProductForm) -> dict[str, str]:
        """The form as `product_form` reads it back, as texts (`services.edits`)."""
        return texts_of({**product, **{name: texts.get(name, "") for name in PRODUCT_TRANSLATED}})

    def _changed(self, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
        """The fields this form changed, merged into the product as it is now (`services.edits`)."""
        now = self._as_sent(*self._form_of(run_service(catalog_admin.get_product, actor=actor,
                                                       product_id=self._product_id)))
        return merged(self, now=now, data=data, together=PRODUCT_TRANSLATED, unsaid=PRODUCT_FLAGS)

    def _gone(self, *, missing: bool = True) -> None:
        self._product_id = 0
        self._put(found=False, missing=missing, title="", product={}, archived=False, image="", categories=[],
                  texts={}, texts_open=False)

    def _reset(self) -> None:
        self._put(errors={}, notice="", busy=False, image_busy=False, image_error="")

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        if not isinstance(form_data, dict) or not self.found or not self._product_id:
            return None
        ok, saved = self._attempt(lambda actor: run_service(
            catalog_admin.update_product, actor=actor, product_id=self._product_id,
            data=self._changed(actor, product_form(form_data))),
            fields=(*PRODUCT_FIELDS, *PRODUCT_FLAGS, *PRODUCT_TRANSLATED))
        if not ok:
            self._put(texts_open=self.texts_open or refused_in(self.errors, product_texts.PRODUCT_TEXTS))
            return None
        if saved.code != self.product.get("code"):
            return rx.redirect(product_href(saved.code))  # the page's address is its code
        self._done("admin.catalog.product_saved")
        self._follow(self._again)
        return None

    @rx.event
    async def set_archived(self, archived: bool):
        async for update in while_busy(self, self._set_archived, archived):
            yield update

    def _set_archived(self, archived: bool):
        if not isinstance(archived, bool) or not self.found or not self._product_id:
            return
        ok, saved = self._attempt(lambda actor: run_service(
            catalog_admin.set_product_archived, actor=actor, product_id=self._product_id, archived=archived))
        if ok:
            self._done("admin.catalog.archived_notice" if archived else "admin.catalog.restored_notice")
            self._follow(self._again)

    @rx.event(background=True)
    async def upload_image(self, chunk_iter: rx.UploadChunkIterator):
        """The dropped picture, streamed in and given to the service (size and type checked there)."""
        if not isinstance(chunk_iter, rx.UploadChunkIterator):
            return  # an event sent by hand over the socket, not an upload
        async with self:
            actor = self._staff_or_none()
            product_id, lang = self._product_id if self.found else 0, self.lang
            if actor is not None and product_id:
                self._put(image_busy=True, image_error="")
        data = await read_upload(chunk_iter, IMAGE_MAX_BYTES)
        if actor is None or not product_id:
            return
        if data is None:  # the drop zone let no file through (not a picture's type): said, not left busy
            async with self:
                self._put(image_busy=False, image_error=translate(lang, "error.catalog_image_type"))
            return
        error, saved = "", None
        try:
            saved = await asyncio.to_thread(run_service, catalog_admin.set_product_image, actor=actor,
                                            product_id=product_id, data=data)
        except ServiceError as exc:
            messages = field_errors(exc, lang)
            error = messages.get("image") or next(iter(messages.values()), "")
        async with self:
            self._put(image_busy=False, image_error=error)
            if saved is not None and self._product_id == product_id:
                self._put(image=image_src(saved.code, saved.image_name[:8]), errors={},
                          notice=self._t("admin.catalog.image_saved"))

    @rx.event
    def remove_image(self):
        if not self.found or not self._product_id:
            return
        ok, _ = self._attempt(lambda actor: run_service(catalog_admin.remove_product_image, actor=actor,
                                                        product_id=self._product_id))
        if ok:
            self._done("admin.catalog.image_removed")
            self._put(image="", image_error="")


# --- /admin/price-books ------------------------------------------------------------------------------

class BookItem(TypedDict):
    href: str
    name: str
    currency: str
    valid_from: str
    valid_to: str
    state: str  # "in_effect", "not_now" (outside its dates) or "inactive"
    state_label: str
    entries: int
    companies: int


BOOK_LIST = ListSpec(path="/admin/price-books", statuses=(), sorts=(), default_sort="name",
                     columns=("name", "currency", "valid_from", "valid_to", "state", "entries", "companies"),
                     label_prefix="admin.catalog.book_col")


def book_state(row: catalog_admin.PriceBookRow) -> str:
    return "inactive" if not row.active else "in_effect" if row.valid_today else "not_now"


def book_form(form: dict) -> dict[str, Any]:
    return {**{name: form.get(name, "") for name in BOOK_FIELDS}, "active": checked(form, "active")}


def _book_form_of(row: Any) -> dict[str, Any]:
    """A price book's form as drawn: its fields, the dates as ISO days, the tick."""
    return {"name": row.name, "currency": row.currency, "active": row.active,
            "valid_from": row.valid_from.isoformat() if row.valid_from else "",
            "valid_to": row.valid_to.isoformat() if row.valid_to else ""}


class AdminPriceBookListState(NewDialog, StaffList, SessionState):
    """Every price book by name, searched; "New price book"."""

    rows: list[BookItem] = []

    def _spec(self) -> ListSpec:
        return BOOK_LIST

    def _fill(self, actor: Actor) -> None:
        page = run_service(catalog_admin.list_price_books, actor=actor, search=self._query.get("q", ""),
                           offset=self._offset(), limit=PAGE_SIZE)
        t, lang = self._t, self.lang
        self._put(rows=[{"href": f"/admin/price-books/{r.id}", "name": r.name, "currency": r.currency,
                         "valid_from": format_day(r.valid_from, lang) if r.valid_from else t("admin.catalog.open_end"),
                         "valid_to": format_day(r.valid_to, lang) if r.valid_to else t("admin.catalog.open_end"),
                         "state": book_state(r), "state_label": t(f"admin.catalog.book_state.{book_state(r)}"),
                         "entries": r.entries, "companies": r.companies} for r in page.rows])
        self._show_page(page.total, "admin.catalog.books_page_of")

    def _reset(self) -> None:
        self._put(errors={}, notice="", busy=False, new_open=False)

    def _new_fields(self) -> tuple[str, ...]:
        return BOOK_FIELDS

    def _make(self, actor: Actor, form_data: dict) -> str:
        book = run_service(catalog_admin.create_price_book, actor=actor, data=book_form(form_data))
        return f"/admin/price-books/{book.id}"



# --- /admin/price-books/<id> -------------------------------------------------------------------------

class BookForm(TypedDict):
    name: str
    currency: str
    valid_from: str
    valid_to: str
    active: bool


class EntryItem(TypedDict):
    product_id: int
    code: str
    href: str
    name: str
    list_price: str
    price: str
    amount: str  # the price as the price form takes it back ("169.00")


class AssignedItem(TypedDict):
    company_id: int
    name: str
    href: str
    in_effect: bool


class AdminPriceBookState(CsvImport, CompanyChooser, StaffPage, SessionState):
    """One price book: its fields (save, delete), its prices (searched, a page at a time; set by
    product code, removed, imported from CSV) and the companies it is assigned to."""

    found: bool = False
    missing: bool = False
    title: str = ""
    state_label: str = ""
    state: str = ""
    book: BookForm = {}  # type: ignore[typeddict-item]
    form_key: int = 0
    entries: list[EntryItem] = []
    entry_total: int = 0
    entry_page: int = 1
    entry_pages: int = 1
    entry_q: str = ""
    entry_code: str = ""
    entry_price: str = ""
    entry_key: int = 0
    entry_editing: bool = False  # a row's "Change" filled the price form: it takes the focus
    assigned: list[AssignedItem] = []
    assigned_more: int = 0  # assignments beyond those listed
    csv_href: str = ""  # this book's assignments as CSV
    _book_id: int = 0
    _shown: dict[str, str] = {}  # the form as drawn, for the save (`form_merge`)
    _told: dict[str, str] = {}  # values someone else saved meanwhile that a refused save showed

    def _may_import(self) -> bool:
        return self.found and self._book_id > 0

    def _show(self, actor: Actor) -> None:
        row = run_service(catalog_admin.get_price_book, actor=actor, book_id=self._book_id)
        state = book_state(row)
        self._put(found=True, missing=False, title=row.name, state=state,
                  csv_href=f"{ASSIGNMENTS_CSV}?book={self._book_id}",
                  state_label=self._t(f"admin.catalog.book_state.{state}"),
                  book=(book := _book_form_of(row)))
        self._shown, self._told = texts_of(book), {}
        self.form_key += 1
        self._show_entries(actor)
        self._show_assigned(actor)

    def _show_entries(self, actor: Actor) -> None:
        page = run_service(catalog_admin.list_entries, actor=actor, book_id=self._book_id, search=self.entry_q,
                           offset=(self.entry_page - 1) * ENTRY_PAGE, limit=ENTRY_PAGE)
        if not page.rows and page.total and self.entry_page > 1:  # its last price removed: the last page
            self._put(entry_page=max(1, -(-page.total // ENTRY_PAGE)))
            self._show_entries(actor)
            return
        lang = self.lang
        self._put(entries=[{"product_id": e.product_id, "code": e.code, "href": product_href(e.code), "name": e.name,
                            "list_price": format_money(e.list_price_cents, e.list_currency, lang),
                            "price": format_money(e.price_cents, page.currency, lang),
                            "amount": plain(as_decimal(e.price_cents), lang)} for e in page.rows],
                  entry_total=page.total, entry_pages=max(1, -(-page.total // ENTRY_PAGE)))

    def _show_assigned(self, actor: Actor) -> None:
        page = run_service(catalog_admin.list_assignments, actor=actor, book_id=self._book_id, limit=200)
        self._put(assigned=[{"company_id": r.company_id, "name": r.company_name, "in_effect": r.in_effect,
                             "href": f"/admin/company?id={r.company_id}"} for r in page.rows],
                  assigned_more=max(0, page.total - len(page.rows)))

    def _gone(self, *, missing: bool = True) -> None:
        self._book_id = 0
        self._put(found=False, missing=missing, title="", book={}, entries=[], entry_total=0, assigned=[],
                  assigned_more=0, company_value="", company_label="", **CLOSED_MATCHES)

    def _reset(self) -> None:
        self._put(errors={}, notice="", busy=False, entry_q="", entry_page=1, entry_code="", entry_price="",
                  entry_editing=False, company_value="", company_label="", **CLOSED_MATCHES)
        self._clear_report()

    def _open(self, actor: Actor) -> None:
        segment = last_segment(self)
        if not is_id(segment) or segment != str(int(segment)):
            self._gone()
            return
        self._book_id = int(segment)
        self._again(actor)

    def _imported(self) -> None:
        if self._book_id:
            self._follow(self._again)

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        if not isinstance(form_data, dict) or not self.found:
            return
        def save(actor: Actor) -> Any:
            now = texts_of(_book_form_of(run_service(catalog_admin.get_price_book, actor=actor,
                                                     book_id=self._book_id)))
            return run_service(catalog_admin.update_price_book, actor=actor, book_id=self._book_id,
                               data=merged(self, now=now, data=book_form(form_data), unsaid=("active",)))

        ok, _ = self._attempt(save, fields=BOOK_FIELDS)
        if ok:
            self._done("admin.catalog.book_saved")
            self._follow(self._again)

    @rx.event
    async def delete_book(self):
        async for update in while_busy(self, self._delete_book):
            yield update

    def _delete_book(self):
        if not self.found:
            return None
        ok, _ = self._attempt(lambda actor: run_service(catalog_admin.delete_price_book, actor=actor,
                                                        book_id=self._book_id))
        if not ok:
            return None
        self._gone(missing=False)
        return rx.redirect(BOOK_LIST.path)

    # --- prices ---

    @rx.event
    def search_entries(self, form_data: dict):
        if not isinstance(form_data, dict) or not self.found:
            return
        self._put(entry_q=search_text(form_data.get("entry_q"), 100).strip(), entry_page=1)
        self._entries_again()

    @rx.event
    def entries_page(self, page: int):
        if not self.found or not valid_page(page, self.entry_pages):
            return
        self._put(entry_page=page)
        self._entries_again()

    def _entries_again(self) -> None:
        ok, _ = self._attempt(self._show_entries, at="prices")
        if not ok:
            self._put(entries=[], entry_total=0)

    @rx.event
    def edit_entry(self, product_id: int):
        """A row's "Change": its code and price into the price form, which is shown anew with its
        price field focused (scrolled into view on a phone, where the form is below the list)."""
        row = next((e for e in self.entries if e["product_id"] == product_id), None)
        if row is None or self._staff_or_none() is None:
            return
        self._put(entry_code=row["code"], entry_price=row["amount"], entry_editing=True, errors={}, notice="",
                  notice_at="prices")
        self.entry_key += 1

    @rx.event
    async def set_price(self, form_data: dict):
        async for update in while_busy(self, self._set_price, form_data):
            yield update

    def _set_price(self, form_data: dict):
        if not isinstance(form_data, dict) or not self.found:
            return
        code, price = form_data.get("code", ""), form_data.get("price", "")
        ok, row = self._attempt(lambda actor: run_service(catalog_admin.set_entry_by_code, actor=actor,
                                                          book_id=self._book_id, code=code, price=price),
                                fields=("code", "price"), at="prices")
        if not ok:
            self._put(entry_code=typed(code), entry_price=typed(price))
            return
        self._done("admin.catalog.price_set", at="prices", code=row.code)
        self._put(entry_code="", entry_price="", entry_editing=False)
        self.entry_key += 1
        self._follow(self._again)

    @rx.event
    def remove_entry(self, product_id: int):
        if not self.found or not isinstance(product_id, int) or isinstance(product_id, bool):
            return
        ok, _ = self._attempt(lambda actor: run_service(catalog_admin.remove_entry, actor=actor,
                                                        book_id=self._book_id, product_id=product_id),
                              at="prices")
        if ok:
            self._done("admin.catalog.price_removed", at="prices")
            self._follow(self._again)

    # --- companies ---

    def _may_choose(self) -> bool:
        return self.found

    @rx.event
    async def assign(self):
        async for update in while_busy(self, self._assign):
            yield update

    def _assign(self):
        if not self.found or not self.company_value:
            return
        name = self.company_label
        ok, _ = self._attempt(lambda actor: run_service(catalog_admin.assign_price_book, actor=actor,
                                                        company_id=self.company_value, book_id=self._book_id),
                              at="companies")
        if ok:
            self._done("admin.catalog.assigned", at="companies", company=name)
            self._put(company_value="", company_label="", **CLOSED_MATCHES)
            self._follow(self._again)

    @rx.event
    def unassign(self, company_id: int):
        if not self.found or not isinstance(company_id, int) or isinstance(company_id, bool):
            return
        ok, _ = self._attempt(lambda actor: run_service(catalog_admin.unassign_price_book, actor=actor,
                                                        company_id=company_id, book_id=self._book_id),
                              at="companies")
        if ok:
            self._done("admin.catalog.unassigned", at="companies")
            self._follow(self._again)

    # --- the CSV import ---

    @rx.event(background=True)
    async def import_csv(self, chunk_iter: rx.UploadChunkIterator):
        """This book's prices from a CSV file (code, price): all, or none if any row is bad."""
        async with self:
            book_id = self._book_id
        await self._import(chunk_iter, partial(csv_import.import_price_entries, book_id=book_id))

