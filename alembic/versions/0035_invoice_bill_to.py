"""invoice bill_to: the customer's name and address as they were when the invoice was issued, so that
an issued invoice (its page and PDF) never changes when the company's details are edited later.
Invoices issued before keep the company's details of today (the best there is).

Revision ID: 0035_invoice_bill_to
Revises: 0034_staged_for
Create Date: 2026-12-06 10:10:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0035_invoice_bill_to"
down_revision: Union[str, Sequence[str], None] = "0034_staged_for"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("invoice", sa.Column("bill_to", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT invoice.id, company.name, company.street_address, company.postal_code, company.city, company.country "
        "FROM invoice JOIN company ON company.id = invoice.company_id WHERE invoice.state != 'draft'")).all()
    invoice = sa.table("invoice", sa.column("id", sa.Integer), sa.column("bill_to", sa.JSON))
    for invoice_id, name, street, postal, city, country in rows:
        lines = [name or "", street or "", f"{postal or ''} {city or ''}".strip(), country or ""]
        bill_to = [lines[0], *[line for line in lines[1:] if line]]
        bind.execute(invoice.update().where(invoice.c.id == invoice_id).values(bill_to=bill_to))


def downgrade() -> None:
    op.drop_column("invoice", "bill_to")
