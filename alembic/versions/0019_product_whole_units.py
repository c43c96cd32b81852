"""product whole units: a product customers order in whole units only (2 pcs, not 1.5 pcs), or by
measure (hours, metres, kilograms). Products made before: by measure when their unit is one of
hours, time, length, area, volume or weight, in whole units otherwise.

Revision ID: 0019_product_whole_units
Revises: 0018_quote_withdrawn
Create Date: 2026-12-04 00:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0019_product_whole_units"
down_revision: Union[str, Sequence[str], None] = "0018_quote_withdrawn"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# units a quantity of which may have decimals (as written in the product's unit, lower case; EN and FI)
MEASURED = ("h", "hr", "hrs", "hour", "hours", "min", "t", "tunti", "tuntia", "kg", "g", "m", "m2", "m²", "m3", "m³",
            "km", "l", "litre", "liter", "metre", "meter")


def upgrade() -> None:
    # plain ALTER TABLE, not batch mode: SQLite adds a column with a default in place, where batch
    # mode would copy the table and drop the old one, which the rows referring to products forbid
    op.add_column("product", sa.Column("whole_units", sa.Boolean(), nullable=False, server_default=sa.true()))
    product = sa.table("product", sa.column("unit", sa.String), sa.column("whole_units", sa.Boolean))
    op.execute(product.update().where(sa.func.lower(sa.func.trim(product.c.unit)).in_(MEASURED))
               .values(whole_units=False))


def downgrade() -> None:
    op.drop_column("product", "whole_units")  # SQLite 3.35+ drops a column in place
