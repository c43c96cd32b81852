"""product name keys: the catalog sorts product names (the default ones and those in other
languages) by their lower case, a column the database computes from the name, in the indexes that
the name was sorted by (a search's narrow index keeps the name: its matches' lower case is computed
from it).

Revision ID: 0029_product_name_keys
Revises: 0028_ticket_title_key
Create Date: 2026-12-05 21:35:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0029_product_name_keys"
down_revision: Union[str, Sequence[str], None] = "0028_ticket_title_key"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_PRODUCT_INDEXES = {  # name: (columns before, columns after)
    "ix_product_archived_name": (["archived", "name"], ["archived", "name_key"]),
    "ix_product_category_name": (["category_id", "archived", "name"], ["category_id", "archived", "name_key"]),
}


def upgrade() -> None:
    # SQLite adds a generated column as VIRTUAL only (computed when read, stored in the indexes);
    # PostgreSQL stores it (said outright: from PostgreSQL 18 the default is VIRTUAL, which no index takes)
    stored = True if op.get_bind().dialect.name == "postgresql" else None
    for table in ("product", "producttext"):
        op.add_column(table, sa.Column("name_key", sa.String(200), sa.Computed("lower(name)", persisted=stored)))
    for name, (_, after) in _PRODUCT_INDEXES.items():
        op.drop_index(name, table_name="product")
        op.create_index(name, "product", after)
    op.drop_index("ix_producttext_lang_name", table_name="producttext")
    op.create_index("ix_producttext_lang_name", "producttext", ["lang", "name_key", "product_id"])


def downgrade() -> None:
    op.drop_index("ix_producttext_lang_name", table_name="producttext")
    op.create_index("ix_producttext_lang_name", "producttext", ["lang", "name", "product_id"])
    for name, (before, _) in _PRODUCT_INDEXES.items():
        op.drop_index(name, table_name="product")
        op.create_index(name, "product", before)
    op.drop_column("producttext", "name_key")
    op.drop_column("product", "name_key")
