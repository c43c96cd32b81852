"""invoice seller: the seller's name, address, business id and bank details staff sets for invoices

Revision ID: 0012_invoice_seller
Revises: 0011_invoices
Create Date: 2026-12-04 10:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0012_invoice_seller"
down_revision: Union[str, Sequence[str], None] = "0011_invoices"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # {"name", "address", "business_id", "iban", "bic", "bank"}: printed on invoices and their PDF
    with op.batch_alter_table('portalsettings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seller', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table('portalsettings', schema=None) as batch_op:
        batch_op.drop_column('seller')
