"""A list's address is put right once: the view read from a URL, written back as its address and read
again, is the same view (else the address would be replaced again and again: `correct_address`)."""

from urllib.parse import parse_qs, urlencode

import pytest

from portal_app.services.tickets import ticket_list
from portal_app.state.invoices import INVOICE_LIST

ODD_QUERIES = [
    "", "page=-1", "page=0&sort=foo", "sort=--total", "sort=total-", "status=open&status=paid", "q=+big++word+",
    "q=" + "x" * 99 + "+y", "q=" + "x" * 199 + "+y", "q=%00a%0Ab", "q=a,b", "q=%F0%9F%98%80", "page=9999999",
    "status=New,new,Closed&category=bug&severity=1,1,7&size=7&mine=maybe&assignee=me&company=007",
    "company=x&assignee=-1&sort=-updated&page=2",
]


@pytest.mark.parametrize("raw", ODD_QUERIES)
def test_the_ticket_lists_address_is_stable_once_put_right(raw: str):
    once = ticket_list.parse_filters(parse_qs(raw)).to_query()
    assert ticket_list.parse_filters(parse_qs(urlencode(once))).to_query() == once


@pytest.mark.parametrize("raw", ODD_QUERIES)
def test_the_other_lists_address_is_stable_once_put_right(raw: str):
    once = INVOICE_LIST.read(raw)
    assert INVOICE_LIST.read(urlencode(once)) == once
