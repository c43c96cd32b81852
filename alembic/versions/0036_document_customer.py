"""quote and order customer: the customer's name and address as they were when the quote request or
the order was made, so that its page and PDF never change when the company's details are edited
later (as an issued invoice's, 0035). Those made before keep the company's details of today.

Revision ID: 0036_document_customer
Revises: 0035_invoice_bill_to
Create Date: 2026-12-06 10:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0036_document_customer"
down_revision: Union[str, Sequence[str], None] = "0035_invoice_bill_to"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("quoterequest", "salesorder")


def upgrade() -> None:
    bind = op.get_bind()
    for name in TABLES:
        op.add_column(name, sa.Column("customer", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        rows = bind.execute(sa.text(
            f"SELECT {name}.id, company.name, company.street_address, company.postal_code, company.city, "
            f"company.country FROM {name} JOIN company ON company.id = {name}.company_id")).all()
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("customer", sa.JSON))
        for row_id, company, street, postal, city, country in rows:
            address = [street or "", f"{postal or ''} {city or ''}".strip(), country or ""]
            bind.execute(table.update().where(table.c.id == row_id)
                         .values(customer=[company or "", *[line for line in address if line]]))


def downgrade() -> None:
    for name in TABLES:
        op.drop_column(name, "customer")
