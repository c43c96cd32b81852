"""invoice seller: the seller's name, address, business ID and bank details as they were when the
invoice was issued, so that an issued invoice (its page and PDF) never changes when the seller's
details are edited under Settings later. Invoices issued before take the settings of today (the best
there is), and keep them from now on.

Revision ID: 0037_invoice_seller
Revises: 0036_document_customer
Create Date: 2026-12-06 12:00:00
"""
import json
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0037_invoice_seller"
down_revision: Union[str, Sequence[str], None] = "0036_document_customer"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FIELDS = ("name", "address", "business_id", "iban", "bic", "bank")  # invoice_rules.SELLER_FIELDS


def upgrade() -> None:
    op.add_column("invoice", sa.Column("seller", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    bind = op.get_bind()
    stored = bind.execute(sa.text("SELECT seller FROM portalsettings ORDER BY id LIMIT 1")).scalar()
    if isinstance(stored, str):
        stored = json.loads(stored)
    if not isinstance(stored, dict):
        return
    seller = {name: str(stored.get(name) or "") for name in FIELDS}
    invoice = sa.table("invoice", sa.column("state", sa.String), sa.column("seller", sa.JSON))
    bind.execute(invoice.update().where(invoice.c.state != "draft").values(seller=seller))


def downgrade() -> None:
    op.drop_column("invoice", "seller")
